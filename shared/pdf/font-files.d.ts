/** A font file import is its path from the bundle (esbuild's file loader; test/ttf-transform.js under jest). */
declare module '*.ttf' {
  const path: string;
  export default path;
}
