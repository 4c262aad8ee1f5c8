//! A function's code that is a zip in the files (`filename = "lambda.zip"`, `CodeUri:
//! function.zip`): the handler module and the helpers it imports are found among the archive's
//! members by the same rules as in a folder, and read in memory through `crate::fsread`'s bounded
//! zip reader. A member is shown as `lambda.zip!/app.py` (`Zip::member_path`).

use std::path::Path;

use super::locate::{CodeFiles, CodeRequest, Located, add_layer_scans, is_excluded_folder, mentions_module};
use super::{HandlerScan, language_for_path};
use crate::fsread::Refusal;
use crate::model::problem::HandlerAbsence;
use crate::source::SourceMap;
use crate::span::FileId;

/// Whether a function's code path names a zip (by its extension, as Lambda's tools do).
pub(super) fn is_zip(code: &Path) -> bool {
    code.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) && !code.is_dir()
}

/// The files a function packed in the zip `request.code` runs, as [`super::locate::locate`] finds
/// them in a folder: the handler module, the layer modules, and the archive's other source files
/// the handler imports by name.
pub(super) fn locate(request: &CodeRequest<'_>, sources: &mut SourceMap, files: &mut CodeFiles) -> Located {
    let located = locate_members(request, sources, files);
    files.release_zip(request.code);
    located
}

fn locate_members(request: &CodeRequest<'_>, sources: &mut SourceMap, files: &mut CodeFiles) -> Located {
    let zip_path = request.code;
    let lang = request.runtime;
    // A runtime whose code this linter does not read (Java, Go) has nothing missing.
    let absent = |missing| Located { scans: Vec::new(), language: lang, missing: lang.map(|_| missing) };
    let names = match files.zip_names(zip_path) {
        Ok(names) => names,
        // Not there: build output, as a folder that is not there is.
        Err(Refusal::Missing) => return absent(HandlerAbsence::NotIn { dir: zip_path.to_path_buf() }),
        Err(refusal) => {
            return absent(HandlerAbsence::ZipRefused { zip: zip_path.to_path_buf(), member: None, refusal });
        }
    };
    let (handler_members, expected) = handler_members(&names, request.handler, lang);
    let mut scans: Vec<(FileId, HandlerScan)> = Vec::new();
    let mut refused = None;
    for member in &handler_members {
        match files.scan_member(sources, zip_path, member) {
            Ok((file, l, scan)) if lang.is_none_or(|want| want == l) => scans.push((file, scan)),
            Ok(_) => {}
            Err(refusal) => refused = refused.or(Some((member.clone(), refusal))),
        }
    }
    if scans.is_empty() {
        let missing = match refused {
            Some((member, refusal)) => {
                HandlerAbsence::ZipRefused { zip: zip_path.to_path_buf(), member: Some(member), refusal }
            }
            None => HandlerAbsence::NotInZip { zip: zip_path.to_path_buf(), member: expected },
        };
        return absent(missing);
    }
    let language = lang.or_else(|| handler_members.first().and_then(|m| language_for_path(Path::new(m))));
    let Some(language) = language else { return Located { scans, language, missing: None } };
    add_layer_scans(request, language, &mut scans, sources, files);
    // Helper modules count only when the handler imports them, as in a folder.
    let handler_text: String = scans.iter().map(|(f, _)| sources.get(*f).text().to_owned()).collect();
    let helpers: Vec<&String> = names
        .iter()
        .filter(|name| !handler_members.contains(name) && is_helper_source(name))
        .filter(|name| {
            let stem = Path::new(name.as_str()).file_stem().and_then(|s| s.to_str()).unwrap_or("");
            !stem.is_empty() && mentions_module(&handler_text, stem)
        })
        .take(200)
        .collect();
    for member in helpers {
        if let Ok((file, l, scan)) = files.scan_member(sources, zip_path, member)
            && l == language
            && !scans.iter().any(|(f, _)| *f == file)
        {
            scans.push((file, scan));
        }
    }
    super::locate::drop_unreached(&mut scans, sources, request.handler);
    Located { scans, language: Some(language), missing: None }
}

/// The members that may hold the handler module (the module's file in each language's
/// extensions, the runtime's first, else its package entry), and the member name a user is told
/// was looked for when none is there.
fn handler_members(
    names: &[String],
    handler: &str,
    runtime: Option<super::Language>,
) -> (Vec<String>, String) {
    let Some((module, _)) = handler.rsplit_once('.') else { return (Vec::new(), handler.to_owned()) };
    let module = module.trim_start_matches("./");
    let nested = module.replace('.', "/");
    let languages = || super::handler_languages(runtime);
    let expected = languages()
        .next()
        .and_then(|l| l.handler_extensions().first())
        .map_or_else(|| nested.clone(), |ext| format!("{nested}.{ext}"));
    let mut found: Vec<String> = Vec::new();
    // As on disk (`locate::handler_files`): only the runtime's language's files are its handler.
    for ext in languages().flat_map(super::HandlerLanguage::handler_extensions) {
        for base in [module, nested.as_str()] {
            let candidate = format!("{base}.{ext}");
            if names.contains(&candidate) && !found.contains(&candidate) {
                found.push(candidate);
            }
        }
    }
    if found.is_empty() {
        let entry = languages()
            .filter_map(|l| l.package_entry(Path::new(&nested)))
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .find(|p| names.contains(p));
        found.extend(entry);
    }
    (found, expected)
}

/// A member that may be a helper module: a source file of a handler language, not a test, not in
/// a dependency, test or build folder, at most four folders down (as in a code folder).
fn is_helper_source(name: &str) -> bool {
    let path = Path::new(name);
    let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let folders: Vec<&str> = name.split('/').collect();
    let is_test = file.starts_with("test_") || file.contains(".test.") || file.contains(".spec.");
    folders.len() <= 5
        && !folders[..folders.len() - 1].iter().any(|f| is_excluded_folder(f))
        && !is_test
        && language_for_path(path).is_some()
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;
    use std::path::PathBuf;

    use super::super::Language;
    use super::*;

    /// A folder holding `lambda.zip` of `members`, deflated.
    fn zipped(members: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("lambda.zip");
        let mut writer = zip::ZipWriter::new(std::fs::File::create(&path).expect("create zip"));
        for (name, text) in members {
            writer
                .start_file(
                    *name,
                    zip::write::SimpleFileOptions::default()
                        .compression_method(zip::CompressionMethod::Stored),
                )
                .expect("start member");
            writer.write_all(text.as_bytes()).expect("write member");
        }
        writer.finish().expect("finish zip");
        (dir, path)
    }

    fn run(zip: &Path, handler: &str, runtime: Option<Language>) -> (Located, Vec<String>) {
        let request = CodeRequest {
            code: zip,
            handler,
            runtime,
            layers: &[],
            deployment_dir: None,
            image: false,
            entry_points: &[],
        };
        let mut sources = SourceMap::default();
        let located = super::super::locate::locate(
            &request,
            &mut sources,
            &mut CodeFiles::new(crate::fsread::Scope::unrestricted()),
        );
        let names = located
            .scans
            .iter()
            .map(|(f, _)| sources.get(*f).name().rsplit('!').next().unwrap_or("").to_owned())
            .collect();
        (located, names)
    }

    const CALL: &str = "import boto3\nboto3.client('sagemaker-runtime').invoke_endpoint(EndpointName='e')\n";

    #[test]
    fn the_handler_module_and_the_helpers_it_imports_are_members() {
        let (_dir, zip) = zipped(&[
            ("src/app.py", "from src import helpers\n"),
            ("src/helpers.py", CALL),
            ("src/unused.py", CALL),
            ("tests/test_app.py", CALL),
        ]);
        let (located, names) = run(&zip, "src/app.handler", Some(Language::Python));
        assert_eq!(located.missing, None);
        assert_eq!(names, ["/src/app.py", "/src/helpers.py"]);
        let (_dir, zip) = zipped(&[("pkg/__init__.py", CALL)]);
        assert_eq!(run(&zip, "pkg.handler", Some(Language::Python)).1, ["/pkg/__init__.py"]);
        let (_dir, zip) = zipped(&[("index.cjs", "exports.handler = 1;\n")]);
        assert_eq!(run(&zip, "index.handler", Some(Language::JavaScript)).1, ["/index.cjs"]);
    }

    #[test]
    fn a_missing_member_or_an_unreadable_zip_is_said_and_a_foreign_runtime_is_not() {
        let (dir, zip) = zipped(&[("main.py", CALL)]);
        let (located, _) = run(&zip, "app.handler", Some(Language::Python));
        assert_eq!(
            located.missing,
            Some(HandlerAbsence::NotInZip { zip: zip.clone(), member: "app.py".into() })
        );
        assert_eq!(run(&zip, "app.Handler::handleRequest", None).0.missing, None);
        let broken = dir.path().join("broken.zip");
        std::fs::write(&broken, b"PK\x03\x04 not a zip").expect("write");
        let missing = run(&broken, "app.handler", Some(Language::Python)).0.missing;
        assert!(matches!(
            missing,
            Some(HandlerAbsence::ZipRefused {
                member: None,
                refusal: Refusal::Zip(crate::fsread::ZipRefusal::Corrupt(_)),
                ..
            })
        ));
        let (_dir, latin1) = zipped(&[("app.py", "caf\u{e9}")]);
        let mut bytes = std::fs::read(&latin1).expect("read");
        // The stored "é" (C3 A9) becomes Latin-1 "é" (E9 A9): not UTF-8, CRC aside.
        let at = bytes.windows(2).position(|w| w == [0xC3, 0xA9]).expect("stored text");
        bytes[at] = 0xE9;
        std::fs::write(&latin1, &bytes).expect("write");
        let missing = run(&latin1, "app.handler", Some(Language::Python)).0.missing;
        assert!(
            matches!(&missing, Some(HandlerAbsence::ZipRefused { member: Some(m), .. }) if m == "app.py"),
            "{missing:?}"
        );
        let gone = dir.path().join("gone.zip");
        assert_eq!(
            run(&gone, "app.handler", Some(Language::Python)).0.missing,
            Some(HandlerAbsence::NotIn { dir: gone })
        );
    }
}
