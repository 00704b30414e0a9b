// The rlx extension's client: starts `rlx lsp` (the setting rlx.path, default `rlx` on PATH) for .rlx files and
// talks LSP to it over stdio. Highlighting comes from the TextMate grammar alone and works without the server.
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('rlx').get('path') || 'rlx';
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient('rlx', 'rlx language server', { run: server, debug: server }, {
    documentSelector: [{ scheme: 'file', language: 'rlx' }, { scheme: 'untitled', language: 'rlx' }],
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start().catch((e) => {
    vscode.window.showErrorMessage(`rlx: could not start "${command} lsp" (set rlx.path to your checkout's rlx launcher): ${e.message}`);
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
