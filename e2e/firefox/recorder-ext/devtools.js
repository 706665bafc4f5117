// Firefox keeps the DevTools page out of reach of the test's privileged helpers; a panel is not,
// so the recorder is a panel page that asks for the HAR.
browser.devtools.panels.create('Recorder', '', 'panel.html');
