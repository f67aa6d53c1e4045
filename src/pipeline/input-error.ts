/**
 * Bad user input: a file that is missing, malformed or inconsistent with the atlas.
 * The message is one line naming the file, the row/column where known, and the fix.
 * The CLI prints it alone and exits with code 2.
 */
export class InputError extends Error {
  override name = 'InputError';
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}
