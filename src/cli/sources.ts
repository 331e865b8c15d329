import { InputError, readSource } from '../load/load-document.js';

export type Source = { ok: true; text: string } | { ok: false; message: string; reason: string };

/** Reads every file; one that cannot be read becomes a message (exit code 2), not an exception. */
export function readSources(files: readonly string[]): Promise<Source[]> {
  return Promise.all(
    files.map((file) =>
      readSource(file).then(
        (text): Source => ({ ok: true, text }),
        (err: unknown): Source => {
          if (!(err instanceof InputError)) throw err;
          return { ok: false, message: err.message, reason: err.reason };
        },
      ),
    ),
  );
}
