//! rivet's garbage collector: a precise, non-moving mark-and-sweep collector over the
//! objects of one runtime, with weak tables, ephemerons and finalizers (see `heap`).

pub mod heap;
mod pool;
pub mod trace;

pub use heap::{Gc, GcParams, Heap, MemoryMeter, WeakMode};
pub use trace::{Trace, Tracer};
