/** Loads modules afresh with these environment variables set, as a cold start would, and restores the environment. */
export function loadWithEnvironment<T>(env: Record<string, string | undefined>, load: () => T): T {
  const saved = { ...process.env };
  let loaded: T | undefined;
  try {
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    jest.isolateModules(() => {
      loaded = load();
    });
  } finally {
    process.env = saved;
  }
  return loaded!;
}

/** The lines written to stdout and stderr while `run` runs. */
export async function writtenLines(run: () => unknown): Promise<string[]> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks.join('').split('\n').filter(Boolean);
}
