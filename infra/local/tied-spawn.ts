import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** util-linux's setpriv, when this machine has it: it can ask the kernel to kill a child when its parent dies. */
const setprivAvailable = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Spawns a child that dies with this process, even when this process is killed with
 * SIGKILL and no exit handler runs: through `setpriv --pdeathsig KILL`, which sets the
 * parent-death signal and then execs the command (the child keeps the pid answered here).
 * Without setpriv, only this process's exit handlers and the child's own watch remain.
 */
export function spawnTiedToParent(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  if (!setprivAvailable) return spawn(command, args, options);
  return spawn('setpriv', ['--pdeathsig', 'KILL', '--', command, ...args], options);
}

export const childDiesWithParent = setprivAvailable;
