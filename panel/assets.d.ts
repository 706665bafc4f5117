// The panel's stylesheet is bundled as text (esbuild loader "text") and injected by mountPanel.
declare module '*.css' {
  const text: string;
  export default text;
}
