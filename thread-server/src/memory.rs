//! One start-up setting for glibc's allocator, so thousands of idle connections stay small.
//! Called by `run` before any thread starts.
//!
//! Why: a burst (a JOIN storm, a long NAMES list, a client that reads slowly for a moment)
//! briefly needs buffers of 16-128 KiB per connection. glibc serves those from its heap
//! arenas and, once they are freed, keeps the memory resident for reuse: measured at 5,000
//! idle clients, 86 KiB per connection stayed in the arenas after the burst. Above the "mmap
//! threshold" glibc maps such a buffer on its own and gives it back to the kernel when freed.
//! The threshold normally adapts upwards after the first big frees; pinning it at 16 KiB
//! keeps big, short-lived buffers out of the arenas (BENCHMARKS.md, case 4).

/// Buffers at least this big get their own mapping, returned to the kernel when freed.
const MMAP_THRESHOLD_BYTES: i32 = 16 * 1024;

/// Applies the allocator setting (glibc on Linux only; elsewhere it does nothing).
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        /// glibc's `M_MMAP_THRESHOLD` parameter number (malloc.h).
        const M_MMAP_THRESHOLD: i32 = -3;
        // SAFETY: mallopt only changes a tuning value of the C allocator; it is called once,
        // before the server starts any thread, with a valid parameter and value.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
        }
    }
}
