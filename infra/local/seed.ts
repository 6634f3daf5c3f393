export const demoTenant = { name: 'Demo Organisation', domain: 'demo.example', adminEmail: 'admin@demo.example' } as const;

/** Creates the demo tenant through the API itself; a second start finds it already there. */
export async function seedDemoTenant(url: string, operatorKey: string, adminPassword: string): Promise<'created' | 'existing'> {
  const response = await fetch(`${url}/v1/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-operator-key': operatorKey },
    body: JSON.stringify({ name: demoTenant.name, domain: demoTenant.domain, admin: { email: demoTenant.adminEmail, password: adminPassword } }),
  });
  if (response.status === 201) return 'created';
  const problem = (await response.json()) as { code?: string };
  if (response.status === 409 && problem.code === 'domain_taken') return 'existing';
  throw new Error(`Seeding the demo tenant failed: ${response.status} ${problem.code ?? ''}`);
}
