//! Writing a report as it is rendered: a document's frame around its findings, the findings a
//! chunk at a time (rendered in parallel on the run's workers when there are many), each chunk
//! written in order as soon as it is ready. A report of 100,000 findings is 170 MB of JSON: held
//! whole (and as a tree of values before that), it was the largest thing a large run kept.

use std::io::{self, Write};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;

/// Findings rendered per task: enough to outweigh handing a task to a worker.
const CHUNK: usize = 256;
/// Fewer findings than this are rendered on the calling thread: starting a pool costs more.
const PARALLEL_FROM: usize = 2 * CHUNK;
/// Chunks rendered per round before they are written: bounds the rendered text held at once.
const CHUNKS_PER_ROUND: usize = 16;

/// Renders every diagnostic with `item` (given its index in the report, to place separators)
/// and writes the text to `out` in report order. With one worker, or few findings, no thread is
/// started. The output never depends on `workers`.
pub(super) fn items<F>(
    diagnostics: &[Diagnostic],
    workers: usize,
    out: &mut dyn Write,
    item: F,
) -> io::Result<()>
where
    F: Fn(usize, &Diagnostic, &mut String) + Sync,
{
    let render = |first: usize, chunk: &[Diagnostic]| {
        let mut text = String::new();
        for (i, d) in chunk.iter().enumerate() {
            item(first + i, d, &mut text);
        }
        text
    };
    if workers <= 1 || diagnostics.len() < PARALLEL_FROM {
        // One item's text at a time, in one buffer: a chunk's text grew to tens of kilobytes,
        // memory the kernel had to clear at the end of the run.
        let mut text = String::new();
        for (i, d) in diagnostics.iter().enumerate() {
            text.clear();
            item(i, d, &mut text);
            out.write_all(text.as_bytes())?;
        }
        return Ok(());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .map_err(|e| io::Error::other(format!("cannot start worker threads: {e}")))?;
    let round = CHUNK * CHUNKS_PER_ROUND;
    for (r, findings) in diagnostics.chunks(round).enumerate() {
        let texts: Vec<String> = pool.install(|| {
            findings
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(k, chunk)| render(r * round + k * CHUNK, chunk))
                .collect()
        });
        for text in texts {
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// A pretty-printed JSON document split around its one array of findings, so the findings can be
/// written between `head` and `tail` one by one. The document is serialized with a single marker
/// string in that array; the marker's line gives the indentation of the array's elements.
pub(super) struct Frame {
    pub head: String,
    pub indent: String,
    pub tail: String,
}

/// What stands in the findings array while the frame is serialized. A NUL cannot come from a
/// rule's documentation or a path (it would be escaped differently, as `\u0000`, anyway).
pub(super) const MARKER: &str = "\u{0}sagelint-findings\u{0}";

impl Frame {
    /// Splits `document` (pretty JSON holding [`MARKER`] once, as an array element) around the
    /// marker's line; `None` if it is not there.
    pub(super) fn split(document: &str) -> Option<Self> {
        let marker = serde_json::to_string(MARKER).ok()?;
        let at = document.find(&marker)?;
        let line_start = document[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = document[at..].find('\n').map_or(document.len(), |i| at + i);
        Some(Self {
            head: document[..line_start].to_owned(),
            indent: document[line_start..at].to_owned(),
            // The newline that ends the last element's line.
            tail: document[line_end..].to_owned(),
        })
    }
}

/// Appends `element` (pretty JSON from serde_json) as the `index`th element of the frame's array:
/// a comma after the previous element, every line indented to the array's depth. A JSON string
/// never holds a raw newline, so every `\n` of `element` is a line of its layout.
pub(super) fn push_element(frame_indent: &str, index: usize, element: &str, out: &mut String) {
    if index > 0 {
        out.push_str(",\n");
    }
    for (i, line) in element.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(frame_indent);
        out.push_str(line);
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use crate::diagnostic::{Diagnostic, Finding, Severity};
    use crate::report::{Format, Style, Summary, write};
    use crate::source::{SourceFile, SourceMap};
    use crate::span::{Loc, Span};

    /// Enough findings for several rounds of parallel chunks, some without a place, some with
    /// related places and help.
    fn many() -> (SourceMap, Vec<Diagnostic>) {
        let mut sources = SourceMap::default();
        let text: String = (0..2_000).fold(String::new(), |mut text, i| {
            let _ = writeln!(text, "Resource{i}: {{ Type: AWS::Lambda::Function }}");
            text
        });
        let file = sources.add(SourceFile::new("t.yaml".into(), "t.yaml".into(), text));
        let diagnostics = (0..super::CHUNK * super::CHUNKS_PER_ROUND + 700)
            .map(|i| {
                let at = Loc { file, span: Span::new(i as u32 * 10, i as u32 * 10 + 8) };
                let finding = match i % 3 {
                    0 => Finding::new(format!("finding {i} \"quoted\"")).at(at, "here"),
                    1 => Finding::new(format!("finding {i}")).related(at, "there").help("do this"),
                    _ => Finding::new(format!("finding {i}")).at(at, "here").related(at, "and there"),
                };
                Diagnostic { code: "SL201", name: "unknown-endpoint", severity: Severity::Warning, finding }
            })
            .collect();
        (sources, diagnostics)
    }

    fn written(format: Format, diagnostics: &[Diagnostic], sources: &SourceMap, workers: usize) -> Vec<u8> {
        let style = Style { color: false, quiet: false, width: 100 };
        let summary = Summary::new(diagnostics, sources.len());
        let mut out = Vec::new();
        write(format, diagnostics, sources, summary, style, workers, &mut out)
            .expect("a Vec takes any write");
        out
    }

    #[test]
    fn every_format_writes_the_same_bytes_on_one_worker_and_on_several() {
        let (sources, diagnostics) = many();
        for format in [Format::Json, Format::Sarif, Format::Pretty, Format::Short, Format::Github] {
            let one = written(format, &diagnostics, &sources, 1);
            assert_eq!(one, written(format, &diagnostics, &sources, 3), "{format:?}");
        }
    }

    #[test]
    fn streamed_json_is_the_document_serialized_at_once() {
        let (sources, diagnostics) = many();
        for format in [Format::Json, Format::Sarif] {
            for findings in [&diagnostics[..], &diagnostics[..1], &[]] {
                let text = String::from_utf8(written(format, findings, &sources, 2)).expect("UTF-8");
                let doc: serde_json::Value = serde_json::from_str(&text).expect("the report is JSON");
                let listed = match format {
                    Format::Json => &doc["diagnostics"],
                    _ => &doc["runs"][0]["results"],
                };
                assert_eq!(listed.as_array().map(Vec::len), Some(findings.len()), "{format:?}");
                if format == Format::Sarif {
                    // SARIF is built as a tree of values: the whole tree serialized at once is
                    // the reference for every byte.
                    let mut whole = serde_json::to_string_pretty(&doc).expect("serializable");
                    whole.push('\n');
                    assert_eq!(text, whole);
                }
            }
        }
    }
}
