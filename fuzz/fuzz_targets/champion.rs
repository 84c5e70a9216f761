//! Fuzzes `sprout_lab::hostile::champion`: any bytes, as a champion file.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sprout_lab::hostile::champion(data);
});
