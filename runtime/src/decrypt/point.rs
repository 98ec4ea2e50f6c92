//! P-384 point decompression: the ESDK stores the signature's public key as
//! a compressed point (SEC 1, 2.3.3), and ring verifies only uncompressed
//! ones. The key is public, so nothing here needs to be constant-time; ring
//! checks that the point it is given is on the curve, so a wrong result can
//! only fail verification, never pass it.

/// A 384-bit number, least significant limb first.
type U384 = [u64; 6];

/// The field's prime, 2^384 - 2^128 - 2^96 + 2^32 - 1.
const P: U384 = [
    0x0000_0000_ffff_ffff,
    0xffff_ffff_0000_0000,
    0xffff_ffff_ffff_fffe,
    0xffff_ffff_ffff_ffff,
    0xffff_ffff_ffff_ffff,
    0xffff_ffff_ffff_ffff,
];

/// The curve's `b` (y^2 = x^3 - 3x + b), FIPS 186-4 D.1.2.4.
const B: [u8; 48] = hex48(
    "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
);

const fn hex48(hex: &str) -> [u8; 48] {
    let hex = hex.as_bytes();
    let mut out = [0u8; 48];
    let mut i = 0;
    while i < 48 {
        out[i] = (nibble(hex[2 * i]) << 4) | nibble(hex[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("not a lowercase hex digit"),
    }
}

fn from_be(bytes: &[u8; 48]) -> U384 {
    let mut out = [0u64; 6];
    for (i, limb) in out.iter_mut().enumerate() {
        let start = 48 - 8 * (i + 1);
        *limb = u64::from_be_bytes(bytes[start..start + 8].try_into().unwrap());
    }
    out
}

fn to_be(n: &U384) -> [u8; 48] {
    let mut out = [0u8; 48];
    for (i, limb) in n.iter().enumerate() {
        let start = 48 - 8 * (i + 1);
        out[start..start + 8].copy_from_slice(&limb.to_be_bytes());
    }
    out
}

fn add(a: &U384, b: &U384) -> (U384, bool) {
    let mut out = [0u64; 6];
    let mut carry = false;
    for i in 0..6 {
        let (s, c1) = a[i].overflowing_add(b[i]);
        let (s, c2) = s.overflowing_add(carry as u64);
        out[i] = s;
        carry = c1 || c2;
    }
    (out, carry)
}

fn sub(a: &U384, b: &U384) -> (U384, bool) {
    let mut out = [0u64; 6];
    let mut borrow = false;
    for i in 0..6 {
        let (d, b1) = a[i].overflowing_sub(b[i]);
        let (d, b2) = d.overflowing_sub(borrow as u64);
        out[i] = d;
        borrow = b1 || b2;
    }
    (out, borrow)
}

fn less_than_p(a: &U384) -> bool {
    sub(a, &P).1
}

/// a + b mod p, for a, b < p.
fn add_mod(a: &U384, b: &U384) -> U384 {
    let (sum, carry) = add(a, b);
    if carry || !less_than_p(&sum) {
        sub(&sum, &P).0
    } else {
        sum
    }
}

/// a - b mod p, for a, b < p.
fn sub_mod(a: &U384, b: &U384) -> U384 {
    let (difference, borrow) = sub(a, b);
    if borrow {
        add(&difference, &P).0
    } else {
        difference
    }
}

/// a * b mod p, for a, b < p: double and add over b's bits. Slow; the
/// reference the Montgomery multiplication is tested against.
#[cfg(test)]
fn mul_mod(a: &U384, b: &U384) -> U384 {
    let mut out = [0u64; 6];
    for bit in (0..384).rev() {
        out = add_mod(&out, &out);
        if (b[bit / 64] >> (bit % 64)) & 1 == 1 {
            out = add_mod(&out, a);
        }
    }
    out
}

/// -p^-1 mod 2^64, by Newton's iteration (each step doubles the correct bits).
const N0: u64 = {
    let mut inverse: u64 = 1;
    let mut i = 0;
    while i < 6 {
        inverse = inverse.wrapping_mul(2u64.wrapping_sub(P[0].wrapping_mul(inverse)));
        i += 1;
    }
    inverse.wrapping_neg()
};

/// R mod p, R = 2^384: 2^384 - p = 2^128 + 2^96 - 2^32 + 1. The Montgomery form of 1.
const R_MOD_P: U384 = [0xffff_ffff_0000_0001, 0x0000_0000_ffff_ffff, 1, 0, 0, 0];

/// lo + a * b + carry, as (low, high) limbs.
fn mac(lo: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let wide = u128::from(lo) + u128::from(a) * u128::from(b) + u128::from(carry);
    (wide as u64, (wide >> 64) as u64)
}

/// a * b * R^-1 mod p, for a, b < p (CIOS Montgomery multiplication).
fn mont_mul(a: &U384, b: &U384) -> U384 {
    let mut t = [0u64; 8];
    for &bi in b {
        let mut carry = 0;
        for j in 0..6 {
            (t[j], carry) = mac(t[j], a[j], bi, carry);
        }
        let (sum, overflow) = t[6].overflowing_add(carry);
        t[6] = sum;
        t[7] = overflow as u64;
        let m = t[0].wrapping_mul(N0);
        let (_, mut carry) = mac(t[0], m, P[0], 0);
        for j in 1..6 {
            (t[j - 1], carry) = mac(t[j], m, P[j], carry);
        }
        let (sum, overflow) = t[6].overflowing_add(carry);
        t[5] = sum;
        t[6] = t[7] + overflow as u64;
    }
    let out: U384 = t[..6].try_into().unwrap();
    if t[6] != 0 || !less_than_p(&out) {
        sub(&out, &P).0
    } else {
        out
    }
}

/// R^2 mod p, by doubling R mod p 384 times.
fn r_squared() -> U384 {
    let mut out = R_MOD_P;
    for _ in 0..384 {
        out = add_mod(&out, &out);
    }
    out
}

/// base^exponent, all in Montgomery form.
fn mont_pow(base: &U384, exponent: &U384) -> U384 {
    let mut out = R_MOD_P;
    for bit in (0..384).rev() {
        out = mont_mul(&out, &out);
        if (exponent[bit / 64] >> (bit % 64)) & 1 == 1 {
            out = mont_mul(&out, base);
        }
    }
    out
}

/// The uncompressed encoding (`04 || x || y`) of a compressed P-384 point
/// (`02 || x` or `03 || x`, the parity of y in the tag); `None` when the
/// bytes are not a point of the curve.
pub(super) fn decompress(compressed: &[u8]) -> Option<[u8; 97]> {
    let (&tag, x_bytes) = compressed.split_first()?;
    let odd = match tag {
        0x02 => false,
        0x03 => true,
        _ => return None,
    };
    let x_bytes: &[u8; 48] = x_bytes.try_into().ok()?;
    let x = from_be(x_bytes);
    if !less_than_p(&x) {
        return None;
    }
    // y^2 = x^3 - 3x + b, in Montgomery form (a * R mod p).
    let r2 = r_squared();
    let x_m = mont_mul(&x, &r2);
    let b_m = mont_mul(&from_be(&B), &r2);
    let x3 = mont_mul(&mont_mul(&x_m, &x_m), &x_m);
    let three_x = add_mod(&add_mod(&x_m, &x_m), &x_m);
    let rhs = add_mod(&sub_mod(&x3, &three_x), &b_m);
    // p = 3 mod 4: a square root of rhs is rhs^((p + 1) / 4).
    let mut exponent = add(&P, &[1, 0, 0, 0, 0, 0]).0;
    for _ in 0..2 {
        for i in 0..6 {
            let high = if i < 5 { exponent[i + 1] << 63 } else { 0 };
            exponent[i] = (exponent[i] >> 1) | high;
        }
    }
    let y_m = mont_pow(&rhs, &exponent);
    if mont_mul(&y_m, &y_m) != rhs {
        return None;
    }
    let mut y = mont_mul(&y_m, &[1, 0, 0, 0, 0, 0]);
    if (y[0] & 1 == 1) != odd {
        if y == [0; 6] {
            return None;
        }
        y = sub(&P, &y).0;
    }
    let mut out = [0u8; 97];
    out[0] = 0x04;
    out[1..49].copy_from_slice(x_bytes);
    out[49..].copy_from_slice(&to_be(&y));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The base point G of P-384 (FIPS 186-4 D.1.2.4); its y is odd.
    const GX: [u8; 48] = hex48(
        "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
    );
    const GY: [u8; 48] = hex48(
        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
    );

    #[test]
    fn decompresses_the_base_point_and_its_negation() {
        let mut compressed = vec![0x03];
        compressed.extend_from_slice(&GX);
        let point = decompress(&compressed).unwrap();
        assert_eq!(point[0], 0x04);
        assert_eq!(point[1..49], GX);
        assert_eq!(point[49..], GY);

        compressed[0] = 0x02;
        let negated = decompress(&compressed).unwrap();
        let minus_gy = to_be(&sub(&P, &from_be(&GY)).0);
        assert_eq!(negated[49..], minus_gy);
    }

    #[test]
    fn montgomery_multiplication_agrees_with_the_reference() {
        let r2 = r_squared();
        let one = [1, 0, 0, 0, 0, 0];
        assert_eq!(mont_mul(&R_MOD_P, &one), one, "R * R^-1 = 1");
        let p_minus_1 = sub(&P, &one).0;
        let values = [
            one,
            from_be(&GX),
            from_be(&GY),
            from_be(&B),
            p_minus_1,
            [u64::MAX, 0, 7, 0, 1 << 63, 0],
        ];
        for a in &values {
            for b in &values {
                let product = mont_mul(&mont_mul(&mont_mul(a, &r2), &mont_mul(b, &r2)), &one);
                assert_eq!(product, mul_mod(a, b), "{a:x?} * {b:x?}");
            }
        }
        // (p - 1)^2 = 1.
        assert_eq!(mul_mod(&p_minus_1, &p_minus_1), one);
    }

    #[test]
    fn refuses_what_is_not_a_point() {
        let mut compressed = vec![0x04];
        compressed.extend_from_slice(&GX);
        assert!(decompress(&compressed).is_none(), "not a compressed tag");
        assert!(decompress(&compressed[..40]).is_none(), "too short");
        // x = 1: 1 - 3 + b is not a square mod p, so no point has x = 1.
        let mut one = vec![0x02];
        one.extend_from_slice(&[0; 47]);
        one.push(1);
        assert!(decompress(&one).is_none());
        // x >= p.
        let mut big = vec![0x02];
        big.extend_from_slice(&[0xff; 48]);
        assert!(decompress(&big).is_none());
    }
}
