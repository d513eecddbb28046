//! rivet: embedding facade.
pub use rivet_lang as lang;
