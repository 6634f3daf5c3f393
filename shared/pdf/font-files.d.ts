/** Font files are bundled as bytes (esbuild's binary loader; test/ttf-transform.js under jest). */
declare module '*.ttf' {
  const bytes: Uint8Array;
  export default bytes;
}
