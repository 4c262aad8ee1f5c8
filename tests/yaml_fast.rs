//! The YAML fast path gives exactly saphyr's events and byte spans wherever it accepts a text:
//! over every YAML fixture, over tricky constructs, and (ignored, on demand) over real corpora.

use std::path::{Path, PathBuf};

use sagelint::syntax::yaml_fast_agrees;

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            yaml_files(&path, out);
        } else if kind.is_file()
            && path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "template")
        {
            out.push(path);
        }
    }
}

/// (files, declined files, mismatches with their descriptions)
fn sweep(dirs: &[PathBuf]) -> (usize, Vec<String>, Vec<String>) {
    let mut files = Vec::new();
    for dir in dirs {
        yaml_files(dir, &mut files);
    }
    files.sort();
    let (mut read, mut declined, mut mismatches) = (0, Vec::new(), Vec::new());
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        read += 1;
        match yaml_fast_agrees(&text) {
            Ok(true) => {}
            Ok(false) => declined.push(file.display().to_string()),
            Err(e) => mismatches.push(format!("{}: {e}", file.display())),
        }
    }
    (read, declined, mismatches)
}

#[test]
fn fixtures_agree_and_most_are_accepted() {
    let (read, declined, mismatches) = sweep(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata")]);
    let accepted = read - declined.len();
    assert_eq!(mismatches, Vec::<String>::new());
    assert!(read > 200, "{read} YAML fixtures");
    // Most fixtures are ordinary templates; the rest are deliberately odd (syntax errors, aliases).
    assert!(accepted * 10 >= read * 9, "fast path accepted only {accepted} of {read}");
}

/// `YAML_FAST_CORPUS=dir1:dir2 cargo test --release --test yaml_fast -- --ignored --nocapture`
#[test]
#[ignore = "reads real-world corpora named by YAML_FAST_CORPUS"]
fn corpus_agrees() {
    let dirs: Vec<PathBuf> =
        std::env::var("YAML_FAST_CORPUS").unwrap_or_default().split(':').map(PathBuf::from).collect();
    let (read, declined, mismatches) = sweep(&dirs);
    if std::env::var_os("YAML_FAST_SHOW_DECLINED").is_some() {
        for file in &declined {
            println!("DECLINED {file}");
        }
    }
    println!("{} of {read} YAML files accepted by the fast path", read - declined.len());
    for m in &mismatches {
        println!("MISMATCH {m}");
    }
    assert!(mismatches.is_empty(), "{} mismatches", mismatches.len());
}

#[track_caller]
fn accepted_and_agrees(text: &str) {
    assert_eq!(yaml_fast_agrees(text), Ok(true), "{text:?}");
}

#[test]
fn block_scalars_chomping_and_trailing_lines() {
    for header in ["|", "|-", "|+", ">", ">-", ">+"] {
        for body in [
            "  one\n  two\n",
            "  one\n\n  two\n\n\n",
            "  one\n    more\n  two\n",
            "\n\n  one\n  two",
            "  one\n  \n  two\n    \n",
            "    deep\n    lines\n  \n",
            "  # not a comment\n  x: y\n",
        ] {
            accepted_and_agrees(&format!("a: {header}\n{body}b: 1\n"));
            accepted_and_agrees(&format!("a: {header}\n{body}"));
            let nested: String = body.lines().flat_map(|l| ["  ", l, "\n"]).collect();
            accepted_and_agrees(&format!("a:\n  - {header}\n{nested}  - x\n"));
            accepted_and_agrees(&format!("a: !Sub {header} # why\n{body}# c\nb: 1\n"));
        }
    }
    accepted_and_agrees("a:\n  b: |\n    x\n  # c\n  d: 1\n");
    accepted_and_agrees("a: |\n  x\n  y");
}

#[test]
fn empty_values_and_compact_collections() {
    accepted_and_agrees("a:\nb: 1\nc:\n");
    accepted_and_agrees("a:\n  # only a comment\nb:\n");
    accepted_and_agrees("s:\n  -\n  - \n  - # c\n  - x\n");
    accepted_and_agrees("s:\n- a: 1\n  b:\n  - c\n  d: 2\n- - x\n  - y\n-\n  k: v\nt: 2\n");
    accepted_and_agrees(
        "a: !Ref\nb: !If\n  - c\n  - d\nc: !Sub\n- x\nd:\n  - !Ref\n  - !Join\n    - ''\n    - [a]\n",
    );
}

#[test]
fn flow_collections_tags_and_quotes() {
    accepted_and_agrees("a: !GetAtt [A, B.C]  # c\nb: []\nc: {}\nd: !Sub ['x${A}', {A: !Ref B}]\n");
    accepted_and_agrees("j: !Join\n  - ''\n  - - 'arn:'\n    - !Ref AWS::Partition\n");
    accepted_and_agrees("f: !Join ['', [\n    'a', # c\n    !Ref B ,\n    \"c\"\n  ]]\ng: [a, b, ]\n");
    accepted_and_agrees("q: 'it''s'\nr: \"a\\\\b\\\"c\\n\\t\\/\\u00e9\"\ns: 'x' # c\n't': 1\n\"u\" : 2\n");
    accepted_and_agrees("a: !!str 1\nb: !!int 2\nc: ! x\nd: !Rain::Embed x\n");
}

#[test]
fn plain_scalars_comments_and_markers() {
    accepted_and_agrees("a: b:c\nu: http://x/y#z\nh: a#b # c\nk v: w x  \n# end\n");
    accepted_and_agrees("---\na: 1\n...\n# trailing\n");
    accepted_and_agrees("--- # c\n\n# c\na: -1\nb: -x\n");
    accepted_and_agrees("\u{feff}a: é\nü: 'ö' # ß\n");
    accepted_and_agrees("  a: 1\n  b: 2\n");
}

#[test]
fn arn_pieces_pairs_in_flow_sequences_and_values_below_keys() {
    accepted_and_agrees("j: !Join\n  - ''\n  - - 'arn:'\n    - :lambda:path/\n    - ?x\n");
    accepted_and_agrees("a: [x, k: !Ref v , m: [n: o]]\nb: !Sub ['${A}', A: 1]\nc: [k: v]\n");
    accepted_and_agrees(
        "a:\n  !GetAtt A.B\nb: \n  !Join [ '', [\n    a ] ]\nc:\n  'q'\nd:\n  - \n    x\ne:\n  !Sub\n  - a\n",
    );
    accepted_and_agrees("a: |\n  tab\there\n  \tlead\nb: 'x\ty' # \t\n");
}

#[test]
fn unsupported_text_is_declined_not_misread() {
    for text in [
        "a: &x 1\nb: *x\n",
        "? a\n: b\n",
        "a: b\n  c\n",
        "a: 'b\n  c'\n",
        "a:\tb\n",
        "a: b\t\n",
        "a: {b: c,}\n",
        "a: [b,\tc]\n",
        "a: 1\r\nb: 2\r\n",
        "a: 1\n---\nb: 2\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: |2\n   x\n",
        "- a\n",
        "a: b: c\n",
        "",
        "# only\n",
    ] {
        assert_eq!(yaml_fast_agrees(text), Ok(false), "{text:?}");
    }
}

/// Small deterministic edits of the fixtures (truncations, a line removed or re-indented, a
/// character replaced by YAML punctuation) reach the fast path's edges; each must agree.
fn mutation_sweep(dirs: &[PathBuf], per_file: usize) -> (usize, usize, Vec<String>) {
    const INSERTS: [&str; 20] = [
        ":", "-", "#", "'", "\"", "[", "]", "{", "}", " ", "\n", "!", "|", ">", ",", "- ", "\t", ": ", "é",
        "\u{feff}",
    ];
    let mut files = Vec::new();
    for dir in dirs {
        yaml_files(dir, &mut files);
    }
    files.sort();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound.max(1) as u64) as usize
    };
    let (mut tried, mut accepted, mut mismatches) = (0, 0, Vec::new());
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        if text.is_empty() {
            continue;
        }
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        for _ in 0..per_file {
            let mut at = next(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let line = next(lines.len());
            let mutated = match next(5) {
                0 => text[..at].to_owned(),
                1 => lines.iter().enumerate().filter(|&(i, _)| i != line).map(|(_, l)| *l).collect(),
                2 => lines
                    .iter()
                    .enumerate()
                    .flat_map(|(i, l)| [if i == line { " " } else { "" }, l])
                    .collect(),
                3 => format!("{}{}{}", &text[..at], INSERTS[next(INSERTS.len())], &text[at..]),
                _ => format!(
                    "{}{}{}",
                    &text[..at],
                    INSERTS[next(INSERTS.len())],
                    &text[text[at..].chars().next().map_or(at, |c| at + c.len_utf8())..]
                ),
            };
            tried += 1;
            match yaml_fast_agrees(&mutated) {
                Ok(true) => accepted += 1,
                Ok(false) => {}
                Err(e) => mismatches.push(format!("{} ({mutated:?}): {e}", file.display())),
            }
        }
    }
    (tried, accepted, mismatches)
}

#[test]
fn mutated_fixtures_agree() {
    let testdata = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let (tried, accepted, mismatches) = mutation_sweep(&[testdata], 8);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(accepted > tried / 4, "{accepted} of {tried}");
}

/// `[YAML_FAST_CORPUS=dirs] cargo test --release --test yaml_fast -- --ignored --nocapture many_mutations`
#[test]
#[ignore = "slow: many mutations of every fixture (and corpus file)"]
fn many_mutations_agree() {
    let mut dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata")];
    if let Ok(corpus) = std::env::var("YAML_FAST_CORPUS") {
        dirs.extend(corpus.split(':').map(PathBuf::from));
    }
    let (tried, accepted, mismatches) = mutation_sweep(&dirs, 400);
    println!("{accepted} of {tried} mutated fixtures accepted");
    assert!(mismatches.is_empty(), "{}", mismatches.iter().take(5).cloned().collect::<Vec<_>>().join("\n"));
}
