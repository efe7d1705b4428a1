// Embedded PGlite must never be opened by two processes at once (a running
// server and `centralino migrate`, say): both would write the same files and
// corrupt them. A lock file with the owner's pid guards the data folder; a
// lock left by a process that no longer exists is taken over.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataFolderInUseError extends Error {
  readonly code = 'DATA_FOLDER_IN_USE';
}

export function lockDataFolder(dataDir: string): () => void {
  const path = join(dataDir, 'centralino.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8'));
      // Our own pid counts too: two PGlite instances in one process corrupt it just the same.
      if (owner && isAlive(owner)) {
        throw new DataFolderInUseError(
          `The data folder ${dataDir} is in use by a running Centralino (pid ${owner}). ` +
            'Stop it first, or use its HTTP API.',
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataFolderInUseError(`Could not lock the data folder ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
