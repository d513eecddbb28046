//! The process's allocator: mimalloc, entered by its plain `malloc` for everything that needs
//! no more than word alignment.
//!
//! The `mimalloc` crate sends every allocation through `mi_malloc_aligned`, whose entry checks
//! the alignment and looks the free block up again before taking the same fast path; nearly
//! all of rivet's allocations (GC objects, strings, table parts, cdata) need only 8-byte
//! alignment, which every mimalloc block has, so they skip that detour.

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc, mi_zalloc_aligned,
};
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// Every mimalloc block is aligned to at least a machine word.
const WORD_ALIGN: usize = std::mem::size_of::<usize>();

pub struct WordAlignedMiMalloc;

// SAFETY: each method forwards to the mimalloc function with the same contract; the plain
// (unaligned) entries are used only when the requested alignment is at most a word, which
// every mimalloc block satisfies, and `mi_free` releases blocks from either entry.
unsafe impl GlobalAlloc for WordAlignedMiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl's comment.
        unsafe {
            if layout.align() <= WORD_ALIGN {
                mi_malloc(layout.size()) as *mut u8
            } else {
                mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl's comment.
        unsafe {
            if layout.align() <= WORD_ALIGN {
                mi_zalloc(layout.size()) as *mut u8
            } else {
                mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (GlobalAlloc's contract).
        unsafe { mi_free(ptr as *mut c_void) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl's comment; the block keeps the layout's alignment.
        unsafe {
            if layout.align() <= WORD_ALIGN {
                mi_realloc(ptr as *mut c_void, new_size) as *mut u8
            } else {
                mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
            }
        }
    }
}
