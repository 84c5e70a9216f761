//! Fuzzes `sprout_lab::hostile::level`: any bytes, as a level file.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sprout_lab::hostile::level(data);
});
