//! Fuzzes `sprout_lab::hostile::checkpoint`: any bytes, as a checkpoint file.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sprout_lab::hostile::checkpoint(data);
});
