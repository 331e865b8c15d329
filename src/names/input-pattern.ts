/** Whether an input's `pattern` compiles as the generated servers compile it: a JavaScript RegExp in Unicode mode. */
export function compilesAsPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
