//! Secret material: the database key. Never `Copy`, never serialised, zeroed on drop, and
//! printed as asterisks.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

/// Length of the database key in bytes.
pub const KEY_LEN: usize = 32;

/// The random key that SQLCipher encrypts every database page with.
#[derive(Clone, Zeroize, zeroize::ZeroizeOnDrop)]
pub struct DbKey([u8; KEY_LEN]);

impl DbKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; KEY_LEN];
        getrandom::fill(&mut bytes)?;
        Ok(Self(bytes))
    }

    /// Rebuilds a key from unwrapped bytes; `None` unless exactly [`KEY_LEN`] bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(Self(arr))
    }

    /// The raw bytes, for wrapping with age.
    pub fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The key in SQLCipher's raw-key syntax, `x'<64 hex digits>'`, which skips SQLCipher's
    /// own key derivation (the key is already uniformly random).
    pub fn sqlcipher_literal(&self) -> Zeroizing<String> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = Zeroizing::new(String::with_capacity(KEY_LEN * 2 + 3));
        s.push_str("x'");
        for b in self.0 {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        s.push('\'');
        s
    }
}

/// Keeps secrets out of core dumps and debuggers: the process is made non-dumpable (no core
/// file, no ptrace attach by other processes of the same user, no `/proc/<pid>/mem` reading)
/// and its core-size limit set to zero. Called first thing, before any passphrase, key or note
/// is in memory. Returns what could not be done, if anything.
pub fn harden_process() -> Result<(), std::io::Error> {
    let no_core = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit reads the struct we pass; prctl(PR_SET_DUMPABLE) takes plain integers.
    // Neither touches memory we own beyond that.
    let (limit, dumpable) = unsafe {
        (
            libc::setrlimit(libc::RLIMIT_CORE, &no_core),
            libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0),
        )
    };
    if limit != 0 || dumpable != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(*******)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let k = DbKey::from_slice(&[0xab; KEY_LEN]).unwrap();
        assert_eq!(format!("{k:?}"), "DbKey(*******)");
        assert!(!format!("{k:?}").contains("ab"));
    }

    #[test]
    fn literal_is_sqlcipher_raw_key_syntax() {
        let k = DbKey::from_slice(&[0x0f; KEY_LEN]).unwrap();
        let lit = k.sqlcipher_literal();
        assert_eq!(lit.len(), 67);
        assert!(lit.starts_with("x'0f0f") && lit.ends_with("0f'"));
    }

    #[test]
    fn hardening_turns_off_core_dumps() {
        harden_process().unwrap();
        // SAFETY: PR_GET_DUMPABLE takes no pointer.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) }, 0);
        let mut lim = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: getrlimit writes into the struct we own.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut lim) }, 0);
        assert_eq!((lim.rlim_cur, lim.rlim_max), (0, 0));
    }

    #[test]
    fn generated_keys_differ() {
        assert_ne!(
            DbKey::generate().unwrap().expose(),
            DbKey::generate().unwrap().expose()
        );
    }
}
