//! Blocks of swept objects kept for reuse by the next allocations of the same size.
//!
//! A program that makes many short-lived small objects (a callback's pointer arguments, a
//! loop's temporary tables) frees them all at each sweep and allocates them again right after.
//! Handing each one back to the allocator and asking for it again costs more than keeping it:
//! the pool keeps freed blocks by size (8-byte aligned objects up to [`MAX_POOLED`] bytes), up
//! to a byte budget the heap sets at each cycle (about what the next cycle will free), and
//! gives the rest back.

use std::alloc::Layout;
use std::ptr::NonNull;

/// Largest object size kept.
const MAX_POOLED: usize = 256;
const ALIGN: usize = 8;

#[derive(Default)]
pub(crate) struct BlockPool {
    /// Free blocks by size in words (index `size / 8`), most recently freed last.
    by_words: Vec<Vec<NonNull<u8>>>,
    /// Bytes in all the blocks kept.
    bytes: usize,
    /// Most bytes to keep.
    budget: usize,
}

impl BlockPool {
    /// The size class of blocks of `layout`, if such blocks are kept.
    #[inline(always)]
    fn class(layout: Layout) -> Option<usize> {
        (layout.align() == ALIGN && layout.size() <= MAX_POOLED && layout.size().is_multiple_of(ALIGN))
            .then_some(layout.size() / ALIGN)
    }

    /// A kept block for `layout`, if there is one.
    #[inline(always)]
    pub(crate) fn take(&mut self, layout: Layout) -> Option<NonNull<u8>> {
        let class = Self::class(layout)?;
        let block = self.by_words.get_mut(class)?.pop()?;
        self.bytes -= layout.size();
        Some(block)
    }

    /// Keeps `block` (allocated with the global allocator for `layout`, its content dropped),
    /// or gives it back to the allocator when it is not of a kept size or the budget is spent.
    ///
    /// # Safety
    /// 1. `block` was allocated by the global allocator with `layout` and is no longer used.
    #[inline]
    pub(crate) unsafe fn give(&mut self, block: NonNull<u8>, layout: Layout) {
        match Self::class(layout) {
            Some(class) if self.bytes + layout.size() <= self.budget => {
                if self.by_words.len() <= class {
                    self.by_words.resize_with(class + 1, Vec::new);
                }
                self.by_words[class].push(block);
                self.bytes += layout.size();
            }
            // SAFETY: obligation 1.
            _ => unsafe { std::alloc::dealloc(block.as_ptr(), layout) },
        }
    }

    /// Sets the most bytes to keep, giving back the blocks beyond it (oldest first kept: the
    /// most recently freed are the likeliest to be in the cache).
    pub(crate) fn set_budget(&mut self, budget: usize) {
        self.budget = budget;
        for (class, blocks) in self.by_words.iter_mut().enumerate().rev() {
            if self.bytes <= budget {
                break;
            }
            let size = class * ALIGN;
            let n = (self.bytes - budget).div_ceil(size).min(blocks.len());
            let layout = Layout::from_size_align(size, ALIGN).expect("a kept block's layout");
            for block in blocks.drain(..n) {
                // SAFETY: kept blocks were allocated with this layout (`give`'s obligation 1)
                // and are not used; drained from the pool, each is freed once.
                unsafe { std::alloc::dealloc(block.as_ptr(), layout) };
            }
            self.bytes -= n * size;
        }
    }
}

impl Drop for BlockPool {
    fn drop(&mut self) {
        self.set_budget(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(layout: Layout) -> NonNull<u8> {
        // SAFETY: the layouts used here are not zero-sized.
        NonNull::new(unsafe { std::alloc::alloc(layout) }).unwrap()
    }

    #[test]
    fn blocks_are_reused_by_size_within_the_budget() {
        let small = Layout::from_size_align(48, 8).unwrap();
        let other = Layout::from_size_align(64, 8).unwrap();
        let big = Layout::from_size_align(4096, 8).unwrap();
        let mut pool = BlockPool::default();
        pool.set_budget(100);
        let (a, b, c) = (block(small), block(small), block(small));
        // SAFETY: fresh blocks of these layouts, not used after being given.
        unsafe {
            pool.give(a, small);
            pool.give(b, small);
            pool.give(c, small); // over the budget: freed
            pool.give(block(big), big); // too large to keep: freed
        }
        assert_eq!(pool.bytes, 96);
        assert_eq!(pool.take(other), None);
        assert_eq!(pool.take(small), Some(b), "most recently freed first");
        assert_eq!(pool.take(small), Some(a));
        assert_eq!(pool.take(small), None);
        // SAFETY: as above.
        unsafe {
            pool.give(a, small);
            pool.give(b, small);
        }
        pool.set_budget(50);
        assert_eq!(pool.bytes, 48, "trimmed to the budget");
        assert_eq!(pool.take(small), Some(b), "the most recently freed are kept");
        // SAFETY: `b` was allocated with `small` and is not used again.
        unsafe { std::alloc::dealloc(b.as_ptr(), small) };
    }
}
