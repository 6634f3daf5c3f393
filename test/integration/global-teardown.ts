/** Stops the local stack's whole process group: tsx, node and DynamoDB Local's java. */
export default async function globalTeardown(): Promise<void> {
  const pid = (globalThis as { emaillessStackPid?: number }).emaillessStackPid;
  if (!pid) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive()) process.kill(-pid, 'SIGKILL');
}
