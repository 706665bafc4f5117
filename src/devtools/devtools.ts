// The extension's DevTools page: it only registers the Diffusion panel.
chrome.devtools.panels.create('Diffusion', '', 'panel.html');
