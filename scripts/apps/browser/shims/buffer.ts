/** The one `Buffer` use the validator makes on text input (its size limit), for the browser. */
const encoder = new TextEncoder();

export const Buffer = {
  byteLength(text: string): number {
    return encoder.encode(text).length;
  }
};
