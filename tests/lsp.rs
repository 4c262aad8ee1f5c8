//! `sagelint server` spoken to as an editor would: JSON-RPC with Content-Length framing over the
//! binary's stdio. Findings are judged from unsaved buffers, and editing a handler re-judges the
//! stack around it.

use std::io::{BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Long enough for a debug build on a loaded machine; a hang fails the test instead of blocking.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A minimal LSP client over the server's stdin and stdout.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(workspace: &Path) -> Self {
        Self::start_with(Some(workspace), &json!({}))
    }

    /// Starts a server; without a workspace, as an editor opening a lone file does.
    fn start_with(workspace: Option<&Path>, capabilities: &Value) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sagelint"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the binary starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Self { child, stdin, incoming, next_id: 1 };
        let folder = workspace.map(uri);
        let folders = folder.iter().map(|f| json!({ "uri": f, "name": "stack" })).collect::<Vec<_>>();
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": folder,
                "capabilities": capabilities,
                "workspaceFolders": if folders.is_empty() { Value::Null } else { json!(folders) },
            }),
        );
        assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 1, "full text sync: {result}");
        assert_eq!(result["serverInfo"]["name"], "sagelint");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("the server reads stdin");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        message["params"] = params;
        self.send(&message);
    }

    /// Sends a request and returns its result, skipping the notifications in between.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        message["params"] = params;
        self.send(&message);
        let response = self.wait_for(&format!("the response to {method}"), |m| m["id"] == id);
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    fn wait_for(&mut self, what: &str, mut wanted: impl FnMut(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => seen.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for {what}; got {seen:#?}"),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server hung up before {what}; got {seen:#?}")
                }
            }
        }
    }

    /// The next diagnostics published for `uri` that satisfy `wanted`.
    fn diagnostics(&mut self, uri: &str, what: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let message = self.wait_for(what, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["diagnostics"].as_array().is_some_and(|d| wanted(d))
        });
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        let document = json!({ "uri": uri, "languageId": language, "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document }));
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// Shuts the server down as an editor does and returns its exit code.
    fn shutdown(mut self) -> Option<i32> {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(Instant::now() < deadline, "the server did not exit after `exit`");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A failed test must not leave the server running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One message: headers up to a blank line, then `Content-Length` bytes of JSON.
fn read_frame(reader: &mut impl std::io::BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A temporary workspace holding a copy of a scenario (template and handler), canonical so that
/// URIs compare equal to what the server publishes.
fn workspace(scenario: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let from = Path::new("testdata/scenarios").join(scenario);
    std::fs::create_dir_all(root.join("src")).expect("mkdir");
    for file in ["template.yaml", "src/app.py"] {
        std::fs::copy(from.join(file), root.join(file)).expect("copy the scenario");
    }
    (dir, root)
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path).expect("readable")
}

#[test]
fn a_finding_appears_at_its_range_and_clears_when_the_unsaved_buffer_is_fixed() {
    let (_dir, root) = workspace("sam-logs-s3-only");
    let template = uri(&root.join("template.yaml"));
    let on_disk = read(root.join("template.yaml"));
    let mut client = Client::start(&root);
    client.open(&template, "yaml", &on_disk);

    let found = client.diagnostics(&template, "SL101 on the template", |d| !d.is_empty());
    assert_eq!(found.len(), 1, "{found:#?}");
    let sl101 = &found[0];
    assert_eq!(sl101["code"], "SL101");
    assert_eq!(sl101["source"], "sagelint");
    assert_eq!(sl101["severity"], 1, "error");
    // `Policies:` on line 16, column 7 (1-based) of the template.
    assert_eq!(sl101["range"]["start"], json!({ "line": 15, "character": 6 }));
    assert_eq!(sl101["range"]["end"], json!({ "line": 15, "character": 14 }));
    assert_eq!(
        sl101["codeDescription"]["href"],
        "https://github.com/sagelint/sagelint/blob/main/rules/SL101.md"
    );
    let message = sl101["message"].as_str().expect("a message");
    assert!(message.starts_with("Lambda ScoreFunction cannot call sagemaker:InvokeEndpoint"), "{message}");
    assert!(
        message.contains("\nno statement here allows sagemaker:InvokeEndpoint\n"),
        "the range's label: {message}"
    );
    assert!(message.contains("\nhelp: add a statement allowing sagemaker:InvokeEndpoint"), "{message}");
    let related = sl101["relatedInformation"].as_array().expect("related information");
    let call = related
        .iter()
        .find(|r| r["message"] == "the endpoint is invoked here")
        .unwrap_or_else(|| panic!("the handler call is related: {related:#?}"));
    assert_eq!(call["location"]["uri"], uri(&root.join("src/app.py")));
    assert_eq!(call["location"]["range"]["start"], json!({ "line": 13, "character": 27 }));
    assert!(related.iter().any(|r| r["message"] == "endpoint defined here"), "{related:#?}");

    // The fix, typed but not saved: the template grants InvokeEndpoint on the endpoint.
    let fixed = read("testdata/scenarios/sam-correct-wiring/template.yaml");
    client.change(&template, 2, &fixed);
    let cleared = client.wait_for("the finding cleared", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == template
            && m["params"]["diagnostics"].as_array().is_some_and(Vec::is_empty)
    });
    assert_eq!(cleared["params"]["version"], 2, "the diagnostics name the text they judged: {cleared}");
    assert_eq!(read(root.join("template.yaml")), on_disk, "the server never writes the file");

    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn editing_the_handler_buffer_rejudges_its_stack() {
    let (_dir, root) = workspace("sam-correct-wiring");
    let template = uri(&root.join("template.yaml"));
    let handler = uri(&root.join("src/app.py"));
    let code = read(root.join("src/app.py"));
    let mut client = Client::start(&root);
    client.open(&template, "yaml", &read(root.join("template.yaml")));
    client.open(&handler, "python", &code);

    // The handler now reads an environment variable the template does not define.
    let renamed = code.replace(r#"os.environ["ENDPOINT_NAME"]"#, r#"os.environ["MODEL_ENDPOINT"]"#);
    assert_ne!(renamed, code);
    client.change(&handler, 2, &renamed);
    let found = client.diagnostics(&handler, "SL203 on the handler", |d| !d.is_empty());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "SL203");
    assert_eq!(found[0]["range"]["start"], json!({ "line": 7, "character": 16 }));
    assert!(found[0]["message"].as_str().is_some_and(|m| m.contains("MODEL_ENDPOINT")), "{found:#?}");

    // Back to the saved text: the finding goes.
    client.change(&handler, 3, &code);
    client.diagnostics(&handler, "the finding cleared", <[Value]>::is_empty);
    assert_eq!(read(root.join("src/app.py")), code, "the server never writes the file");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn unknown_requests_get_an_error_and_exit_without_shutdown_is_a_failure() {
    let (_dir, root) = workspace("sam-correct-wiring");
    let mut client = Client::start(&root);
    client.send(&json!({ "jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": {} }));
    let response = client.wait_for("the hover error", |m| m["id"] == 99);
    assert_eq!(response["error"]["code"], -32601, "method not found: {response}");
    client.notify("exit", Value::Null);
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = client.child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_ne!(status.code(), Some(0));
}

#[test]
fn a_file_changed_on_disk_is_rejudged_when_the_client_watches_files() {
    let (_dir, root) = workspace("sam-correct-wiring");
    let handler = root.join("src/app.py");
    let capabilities = json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let mut client = Client::start_with(Some(&root), &capabilities);
    let registration =
        client.wait_for("the file watcher registration", |m| m["method"] == "client/registerCapability");
    assert_eq!(registration["params"]["registrations"][0]["method"], "workspace/didChangeWatchedFiles");
    client.send(&json!({ "jsonrpc": "2.0", "id": registration["id"], "result": null }));

    // A checkout or a generator rewrites the handler; no buffer is open.
    let code = read(&handler).replace(r#"os.environ["ENDPOINT_NAME"]"#, r#"os.environ["MODEL_ENDPOINT"]"#);
    std::fs::write(&handler, code).expect("write the handler");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&handler), "type": 2 }] }),
    );
    let found = client.diagnostics(&uri(&handler), "SL203 on the changed handler", |d| !d.is_empty());
    assert_eq!(found[0]["code"], "SL203", "{found:#?}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_broken_config_is_shown_to_the_user_not_swallowed() {
    let (_dir, root) = workspace("sam-logs-s3-only");
    std::fs::write(root.join("sagelint.toml"), "select = 1\n").expect("write the config");
    let mut client = Client::start(&root);
    client.open(&uri(&root.join("template.yaml")), "yaml", &read(root.join("template.yaml")));
    let shown = client.wait_for("the config error", |m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1, "an error: {shown}");
    let message = shown["params"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("sagelint.toml:1: invalid config"), "{message}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn the_help_says_what_the_server_does() {
    let output = Command::new(env!("CARGO_BIN_EXE_sagelint")).arg("--help").output().expect("runs");
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("server") && help.contains("language server over stdio"), "{help}");
}

#[test]
fn closing_a_workspace_folder_clears_its_findings() {
    let (_dir, root) = workspace("sam-logs-s3-only");
    let template = uri(&root.join("template.yaml"));
    let mut client = Client::start(&root);
    client.open(&template, "yaml", &read(root.join("template.yaml")));
    client.diagnostics(&template, "SL101 on the template", |d| !d.is_empty());
    let folder = json!({ "uri": uri(&root), "name": "stack" });
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [], "removed": [folder] } }),
    );
    client.diagnostics(&template, "the findings cleared", <[Value]>::is_empty);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn without_a_workspace_folder_a_document_is_judged_in_its_repository() {
    let (_dir, root) = workspace("sam-correct-wiring");
    std::fs::create_dir(root.join(".git")).expect("mark a repository");
    let handler = uri(&root.join("src/app.py"));
    let code = read(root.join("src/app.py"));
    let mut client = Client::start_with(None, &json!({}));
    client.open(&handler, "python", &code);
    let renamed = code.replace(r#"os.environ["ENDPOINT_NAME"]"#, r#"os.environ["MODEL_ENDPOINT"]"#);
    client.change(&handler, 2, &renamed);
    let found = client.diagnostics(&handler, "SL203 from the repository's template", |d| !d.is_empty());
    assert_eq!(found[0]["code"], "SL203", "{found:#?}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn outside_any_workspace_and_repository_a_template_is_judged_alone_with_its_handler() {
    let (_dir, root) = workspace("sam-logs-s3-only");
    let template = uri(&root.join("template.yaml"));
    let mut client = Client::start_with(None, &json!({}));
    client.open(&template, "yaml", &read(root.join("template.yaml")));
    let found = client.diagnostics(&template, "SL101 on the lone template", |d| !d.is_empty());
    assert_eq!(found[0]["code"], "SL101", "{found:#?}");
    let related = found[0]["relatedInformation"].as_array().cloned().unwrap_or_default();
    assert!(
        related.iter().any(|r| r["location"]["uri"] == uri(&root.join("src/app.py"))),
        "the handler is still read: {related:#?}"
    );
    assert_eq!(client.shutdown(), Some(0));
}
