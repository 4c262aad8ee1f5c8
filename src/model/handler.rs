//! Handler source → endpoint invocation call sites.
