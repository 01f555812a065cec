//! Counting allocator, so `gatehouse bench` can report how much memory the analyser's indexes take
//! without guessing from struct sizes. It counts only inside [`retained`]: a counter that every
//! thread updated on every allocation would bounce one cache line between the cores that
//! `gatehouse analyse --format jsonl` keeps busy, where a flag that is only read costs nothing.
//!
//! Underneath is mimalloc rather than the system allocator: the analyser makes many small
//! allocations that live for one comment, and under callgrind mimalloc serves them in 5% fewer
//! instructions for the whole analysis.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

use mimalloc::MiMalloc;

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATED: AtomicIsize = AtomicIsize::new(0);

fn count(bytes: isize) {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATED.fetch_add(bytes, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to mimalloc unchanged; only a counter is updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        unsafe { MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        unsafe { MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Run `build` and return what it built with the heap bytes it left allocated. Only meaningful
/// while no other thread allocates.
pub fn retained<T>(build: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATED.load(Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    let built = build();
    COUNTING.store(false, Ordering::Relaxed);
    let bytes = ALLOCATED.load(Ordering::Relaxed) - before;
    (built, bytes.max(0) as usize)
}

/// Ask the kernel not to back this process's memory with transparent huge pages.
///
/// With them, each first touch of mimalloc's memory zeroed two megabytes: `gatehouse analyse` held
/// 70-85 MB where it uses 25-30, identical runs spent 0.04 to 0.22 s in the kernel, and under
/// `perf` one run spent a quarter of its samples zeroing pages. Our working set is a few megabytes
/// of indexes, which gain nothing from huge pages (`gatehouse bench` is unchanged).
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument and changes nothing but this process's
    // page policy; the unused arguments must be zero.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
