// Starts `sagelint server` and lets it publish diagnostics for the documents below.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("sagelint").get("path", "sagelint");
  const server = { command, args: ["server"] };
  client = new LanguageClient(
    "sagelint",
    "sagelint",
    { run: server, debug: server },
    {
      // Templates, Terraform and the handler code they deploy: editing a handler re-judges its stack.
      documentSelector: ["yaml", "json", "terraform", "python", "javascript", "typescript"].map(
        (language) => ({ scheme: "file", language })
      ),
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
