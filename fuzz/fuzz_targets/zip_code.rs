//! A function's code given as a zip in the files (`filename = "lambda.zip"`): the bounded zip
//! reader opens it in memory and every member the listing names is read under the caps.
//!
//! Input: the bytes of `lambda.zip`. No panic, and no member read past its cap, whatever the
//! archive claims (truncated directories, lying sizes, bombs, traversal names).
#![no_main]

mod scratch;

use libfuzzer_sys::fuzz_target;
use sagelint::fsread::{self, Refusal, Scope, ZipRefusal};

fuzz_target!(|bytes: &[u8]| {
    let dir = scratch::fresh("zip_code");
    let Some(path) = scratch::write(dir, "lambda.zip", bytes) else { return };
    let Ok(mut zip) = fsread::open_zip(&path, &Scope::unrestricted()) else { return };
    assert!(zip.names().len() <= fsread::ZIP_ENTRY_CAP);
    for name in zip.names().to_vec() {
        match zip.read_text(&name, 4096) {
            Ok(text) => assert!(text.len() <= 4096),
            Err(Refusal::Zip(ZipRefusal::MemberTooLarge { cap, .. })) => assert_eq!(cap, 4096),
            Err(_) => {}
        }
    }
});
