//! `server`: a language server over stdio. Each open, change, save or close of a document lints the
//! workspace folder (outside any, the repository; outside both, the file) it belongs to, with the
//! editor's buffers
//! read instead of their files, and publishes the findings of every file of that root, clearing
//! the files that no longer have any. It never writes a file.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use clap::Parser as _;
use lsp_server::{Connection, ErrorCode, Message, Notification, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidChangeWorkspaceFolders, DidCloseTextDocument,
    DidOpenTextDocument, DidSaveTextDocument, Exit, LogMessage, Notification as _, PublishDiagnostics,
    ShowMessage,
};
use lsp_types::{
    InitializeParams, MessageType, PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
    Uri, WorkspaceFolder,
};

use super::{Cli, ExitStatus, Output};
use crate::config::{self, Config};
use crate::error::Error;
use crate::fsread::{self, Overlay};
use crate::report::lsp::{file_uri, uri_path};

pub(super) fn run() -> Result<Output, Error> {
    let (connection, io_threads) = Connection::stdio();
    let status = serve(&connection)?;
    // The writer thread ends when the connection's sender is gone.
    drop(connection);
    io_threads.join().map_err(|e| connection_error(&e))?;
    let errors = match status {
        ExitStatus::Success => Vec::new(),
        _ => vec![connection_error(&"the client ended the session without a shutdown request")],
    };
    Ok(Output { stdout: String::new(), status, errors })
}

fn connection_error(e: &dyn std::fmt::Display) -> Error {
    Error::Io { path: "the editor connection (stdin/stdout)".into(), message: e.to_string() }
}

/// Runs the session to its end: `Success` after `shutdown` then `exit`, `Error` when the client
/// exits or disconnects without asking for a shutdown (the protocol's exit code 1 case).
fn serve(connection: &Connection) -> Result<ExitStatus, Error> {
    let (id, params) = connection.initialize_start().map_err(|e| connection_error(&e))?;
    // A client whose parameters do not parse still gets a server (without workspace folders,
    // documents are judged in their repositories), and is told why.
    let (params, unreadable) = match serde_json::from_value::<InitializeParams>(params) {
        Ok(params) => (params, None),
        Err(e) => {
            (InitializeParams::default(), Some(format!("sagelint: unreadable initialize parameters: {e}")))
        }
    };
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..TextDocumentSyncOptions::default()
        })),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo { name: "sagelint".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    connection.initialize_finish(id, result).map_err(|e| connection_error(&e))?;
    if let Some(message) = unreadable {
        notify::<LogMessage>(connection, lsp_types::LogMessageParams { typ: MessageType::WARNING, message });
    }
    let watches_files = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files)
        .and_then(|c| c.dynamic_registration)
        == Some(true);
    if watches_files {
        // Without this, a file changed on disk (not in a buffer) is seen only at the next edit.
        let registrations = serde_json::json!({ "registrations": [{
            "id": "sagelint-watched-files",
            "method": DidChangeWatchedFiles::METHOD,
            "registerOptions": { "watchers": [{ "globPattern": "**/*" }] },
        }]});
        let id = lsp_server::RequestId::from("sagelint-register-watchers".to_owned());
        send(
            connection,
            lsp_server::Request::new(id, "client/registerCapability".into(), registrations).into(),
        );
    }
    let mut session = Session::new(&params);
    let mut shutting_down = false;
    while let Ok(first) = connection.receiver.recv() {
        // Everything already queued is applied before linting: a burst of keystrokes is judged
        // once, on its last text.
        let batch: Vec<Message> = std::iter::once(first).chain(connection.receiver.try_iter()).collect();
        let mut dirty = BTreeSet::new();
        for message in batch {
            match message {
                Message::Request(request) if request.method == "shutdown" => {
                    shutting_down = true;
                    send(connection, Response::new_ok(request.id, ()).into());
                }
                Message::Request(request) => {
                    let (code, text) = if shutting_down {
                        (ErrorCode::InvalidRequest, "the server is shutting down")
                    } else {
                        (ErrorCode::MethodNotFound, "sagelint only publishes diagnostics")
                    };
                    send(connection, Response::new_err(request.id, code as i32, text.into()).into());
                }
                Message::Notification(n) if n.method == Exit::METHOD => {
                    return Ok(if shutting_down { ExitStatus::Success } else { ExitStatus::Error });
                }
                Message::Notification(n) => session.apply(n, &mut dirty),
                Message::Response(_) => {}
            }
        }
        if !shutting_down {
            for uri in std::mem::take(&mut session.orphaned) {
                session.publish(connection, uri, Vec::new());
            }
            for root in dirty {
                session.lint_and_publish(connection, &root);
            }
        }
    }
    Ok(if shutting_down { ExitStatus::Success } else { ExitStatus::Error })
}

/// Sends a message; a client gone away ends the session through the closed receiver instead.
fn send(connection: &Connection, message: Message) {
    let _ = connection.sender.send(message);
}

fn notify<N: lsp_types::notification::Notification>(connection: &Connection, params: N::Params) {
    send(connection, Notification::new(N::METHOD.to_owned(), params).into());
}

/// An open document: its URI as the client names it, where it lives, and the text the editor holds.
struct Document {
    uri: Uri,
    path: PathBuf,
    text: String,
    /// The client's version of the text: diagnostics name it, so a client can drop stale ones.
    version: i32,
}

struct Session {
    /// Canonical workspace folders from `initialize` (and later changes).
    folders: Vec<PathBuf>,
    /// By URI text (`Uri` caches parts of itself and is no map key).
    documents: HashMap<String, Document>,
    /// The files each root last had findings in, by URI text: they are cleared when the findings go.
    published: HashMap<PathBuf, BTreeMap<String, Uri>>,
    /// Files with findings from a workspace folder that was closed: to be cleared.
    orphaned: Vec<Uri>,
}

impl Session {
    fn new(params: &InitializeParams) -> Self {
        #[expect(deprecated, reason = "rootUri is how clients without workspace folders name the root")]
        let root_uri = params.root_uri.clone();
        let folders = match &params.workspace_folders {
            Some(folders) if !folders.is_empty() => folders.iter().map(|f| f.uri.clone()).collect(),
            _ => root_uri.into_iter().collect::<Vec<_>>(),
        };
        let folders = folders.iter().filter_map(uri_path).filter_map(|p| p.canonicalize().ok()).collect();
        Self { folders, documents: HashMap::new(), published: HashMap::new(), orphaned: Vec::new() }
    }

    /// Applies a notification, noting the roots whose findings it may change.
    fn apply(&mut self, n: Notification, dirty: &mut BTreeSet<PathBuf>) {
        let uri = match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return;
                };
                let Some(path) = uri_path(&p.text_document.uri) else { return };
                let uri = p.text_document.uri.clone();
                let version = p.text_document.version;
                let document = Document { uri, path, text: p.text_document.text, version };
                self.documents.insert(p.text_document.uri.as_str().to_owned(), document);
                p.text_document.uri
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<lsp_types::DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                else {
                    return;
                };
                // The server asks for whole texts; a client sending ranges anyway is still followed.
                if let Some(document) = self.documents.get_mut(p.text_document.uri.as_str()) {
                    for change in p.content_changes {
                        apply_change(&mut document.text, change);
                    }
                    document.version = p.text_document.version;
                }
                p.text_document.uri
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) = n.extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                else {
                    return;
                };
                p.text_document.uri
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = n.extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return;
                };
                // From now on the file on disk is what counts.
                self.documents.remove(p.text_document.uri.as_str());
                p.text_document.uri
            }
            DidChangeWatchedFiles::METHOD => {
                // Files changed outside the editor (a checkout, a generator): re-judge their roots.
                let Ok(p) =
                    n.extract::<lsp_types::DidChangeWatchedFilesParams>(DidChangeWatchedFiles::METHOD)
                else {
                    return;
                };
                let paths = p.changes.iter().filter_map(|change| uri_path(&change.uri));
                dirty.extend(paths.filter_map(|path| self.root_of(&path)));
                return;
            }
            DidChangeWorkspaceFolders::METHOD => {
                let Ok(p) = n
                    .extract::<lsp_types::DidChangeWorkspaceFoldersParams>(DidChangeWorkspaceFolders::METHOD)
                else {
                    return;
                };
                let canonical = |f: &WorkspaceFolder| uri_path(&f.uri).and_then(|p| p.canonicalize().ok());
                let removed: Vec<PathBuf> = p.event.removed.iter().filter_map(canonical).collect();
                self.folders.retain(|f| !removed.contains(f));
                // A folder no longer open keeps no findings in the editor.
                for folder in &removed {
                    self.orphaned.extend(self.published.remove(folder).unwrap_or_default().into_values());
                }
                self.folders.extend(p.event.added.iter().filter_map(canonical));
                return;
            }
            _ => return,
        };
        if let Some(root) = uri_path(&uri).and_then(|path| self.root_of(&path)) {
            dirty.insert(root);
        }
    }

    /// The root a document is judged in: the innermost workspace folder holding it, else its
    /// repository (the folder holding `.git`). Outside both, the file alone, as `sagelint check
    /// FILE` judges it (its handler code is still read): its folder could be a home directory,
    /// too large to walk on every keystroke. A file never saved outside both has nothing to judge.
    fn root_of(&self, path: &Path) -> Option<PathBuf> {
        let canonical = Overlay::key(path)?;
        let folder =
            self.folders.iter().filter(|f| canonical.starts_with(f)).max_by_key(|f| f.as_os_str().len());
        if let Some(folder) = folder {
            return Some(folder.clone());
        }
        let parent = canonical.parent()?;
        let repository = fsread::repository_of(parent);
        if repository.join(".git").exists() {
            Some(repository)
        } else {
            canonical.is_file().then_some(canonical)
        }
    }

    fn lint_and_publish(&mut self, connection: &Connection, root: &Path) {
        // A panic outside the per-file and per-rule isolation must not end the session: the
        // editor would lose every finding until it restarts the server.
        let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.lint(root)))
            .unwrap_or_else(|_| Err("internal error (a panic) while linting; please report it".to_owned()));
        let outcome = match linted {
            Ok(outcome) => outcome,
            Err(error) => {
                // The last findings stay: a config being edited should not blank the editor.
                let message = format!("sagelint cannot check {}: {error}", root.display());
                notify::<ShowMessage>(
                    connection,
                    lsp_types::ShowMessageParams { typ: MessageType::ERROR, message },
                );
                return;
            }
        };
        for error in &outcome.internal_errors {
            let message = format!("sagelint: {error}");
            notify::<LogMessage>(
                connection,
                lsp_types::LogMessageParams { typ: MessageType::ERROR, message },
            );
        }
        let client_uris: HashMap<PathBuf, Uri> = self
            .documents
            .values()
            .filter_map(|document| Some((Overlay::key(&document.path)?, document.uri.clone())))
            .collect();
        // A file is named by the URI the client opened it under, so its diagnostics land on it.
        let uri_of = |path: &Path| {
            Overlay::key(path).and_then(|k| client_uris.get(&k).cloned()).or_else(|| file_uri(path))
        };
        let (by_uri, unplaced) =
            crate::report::lsp::diagnostics(&outcome.diagnostics, &outcome.sources, &uri_of);
        for message in unplaced {
            let message = format!("sagelint: {message}");
            notify::<LogMessage>(
                connection,
                lsp_types::LogMessageParams { typ: MessageType::WARNING, message },
            );
        }
        let now: BTreeMap<String, Uri> =
            by_uri.iter().map(|(uri, _)| (uri.as_str().to_owned(), uri.clone())).collect();
        let mut before = self.published.remove(root).unwrap_or_default();
        before.retain(|text, _| !now.contains_key(text));
        for uri in before.into_values() {
            self.publish(connection, uri, Vec::new());
        }
        for (uri, diagnostics) in by_uri {
            self.publish(connection, uri, diagnostics);
        }
        self.published.insert(root.to_path_buf(), now);
    }

    /// Publishes a file's diagnostics, naming the version of its buffer when it is open.
    fn publish(&self, connection: &Connection, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>) {
        let version = self.documents.get(uri.as_str()).map(|d| d.version);
        notify::<PublishDiagnostics>(connection, PublishDiagnosticsParams { uri, diagnostics, version });
    }

    /// Lints a root as `sagelint check ROOT` would (its `sagelint.toml` included), over the open
    /// buffers.
    fn lint(&self, root: &Path) -> Result<crate::Outcome, String> {
        let config_path = config::find(root);
        // The editor shows one line: it names the config file (and line) at fault.
        let in_config = |error: Error| match (&config_path, &error) {
            (Some(path), Error::Config { src, span: Some(span), .. }) => {
                let before = src.inner().get(..span.offset()).unwrap_or_default();
                format!("{}:{}: {error}", path.display(), before.matches('\n').count() + 1)
            }
            (Some(path), _) => format!("{}: {error}", path.display()),
            (None, _) => error.to_string(),
        };
        let config = match &config_path {
            Some(path) => config::load(path).map_err(in_config)?,
            None => Config::default(),
        };
        let defaults = Cli::try_parse_from(["sagelint"]).map_err(|e| e.to_string())?;
        let mut options = super::check::options(&defaults.check, &config).map_err(in_config)?;
        options.overlay = Overlay::new(self.documents.values().map(|d| (d.path.clone(), d.text.clone())));
        crate::lint(&[root.to_path_buf()], &options).map_err(|e| e.to_string())
    }
}

/// Applies one content change: a whole text, or a replacement of a range.
fn apply_change(text: &mut String, change: lsp_types::TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let start = byte_offset(text, range.start);
            let end = byte_offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

/// The byte offset of a protocol position (a 0-based line and a column in UTF-16 code units),
/// clamped to its line and to the text, and never inside a character.
fn byte_offset(text: &str, position: lsp_types::Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
    let mut units = 0;
    for (i, c) in text[line_start..line_end].char_indices() {
        if units >= position.character as usize {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    line_end
}

#[cfg(test)]
mod tests {
    use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

    use super::apply_change;

    fn change(range: Option<((u32, u32), (u32, u32))>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l0, c0), (l1, c1))| Range {
                start: Position { line: l0, character: c0 },
                end: Position { line: l1, character: c1 },
            }),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn ranged_changes_count_utf16_columns_and_whole_texts_replace() {
        let mut text = "a: é🦀x\nb: 2\n".to_owned();
        // `x` is at UTF-16 column 6 (`🦀` is two units).
        apply_change(&mut text, change(Some(((0, 6), (0, 7))), "y"));
        assert_eq!(text, "a: é🦀y\nb: 2\n");
        apply_change(&mut text, change(Some(((1, 3), (1, 4))), "3"));
        assert_eq!(text, "a: é🦀y\nb: 3\n");
        // Past the end of a line or of the text: clamped, never a panic.
        apply_change(&mut text, change(Some(((0, 99), (9, 0))), "!"));
        assert_eq!(text, "a: é🦀y!");
        apply_change(&mut text, change(None, "new"));
        assert_eq!(text, "new");
    }
}
