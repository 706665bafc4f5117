// Copying text inside DevTools, where navigator.clipboard is often refused (the panel is an iframe
// without focus or permission): fall back to a hidden textarea and execCommand('copy').

export type CopyResult = { ok: true; via: 'clipboard' | 'execCommand' } | { ok: false; reason: string };

export async function copyText(text: string, doc: Document = document): Promise<CopyResult> {
  const clip = doc.defaultView?.navigator.clipboard;
  if (clip && typeof clip.writeText === 'function') {
    try {
      await clip.writeText(text);
      return { ok: true, via: 'clipboard' };
    } catch {
      // Refused: try the old way below.
    }
  }
  return copyWithTextarea(text, doc);
}

function copyWithTextarea(text: string, doc: Document): CopyResult {
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  area.style.position = 'fixed';
  area.style.top = '-1000px';
  area.style.opacity = '0';
  const previous = doc.activeElement as HTMLElement | null;
  doc.body.appendChild(area);
  try {
    area.select();
    const ok = doc.execCommand('copy');
    return ok ? { ok: true, via: 'execCommand' } : { ok: false, reason: 'the browser refused to copy' };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  } finally {
    area.remove();
    previous?.focus?.();
  }
}
