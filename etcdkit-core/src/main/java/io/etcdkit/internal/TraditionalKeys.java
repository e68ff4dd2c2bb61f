package io.etcdkit.internal;

import io.etcdkit.InvalidConfigurationException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads private keys in the "traditional" PEM forms that OpenSSL, cfssl and Go write and accept, which the JDK and
 * Netty do not: PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}). Each is
 * re-wrapped, unchanged, as the PKCS#8 structure the JDK reads: {@code PrivateKeyInfo ::= SEQUENCE { version 0,
 * algorithm, OCTET STRING key }} (RFC 5208), with the algorithm rsaEncryption (RFC 8017) or id-ecPublicKey plus
 * the curve named inside the SEC1 key (RFC 5915). Encrypted traditional keys ({@code Proc-Type: 4,ENCRYPTED}) use
 * a legacy OpenSSL scheme and are refused with the command that converts them.
 */
final class TraditionalKeys {
    static final String RSA = "RSA PRIVATE KEY";
    static final String EC = "EC PRIVATE KEY";
    // rsaEncryption 1.2.840.113549.1.1.1 with NULL parameters, as a complete AlgorithmIdentifier
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    // id-ecPublicKey 1.2.840.10045.2.1, the OBJECT IDENTIFIER alone (the curve follows it)
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02,
        0x01};

    private TraditionalKeys() {
    }

    /** The PEM label of a traditional key in {@code pem}, or null when it holds none. */
    static String label(String pem) {
        if (pem.contains("-----BEGIN " + RSA + "-----")) {
            return RSA;
        }
        if (pem.contains("-----BEGIN " + EC + "-----")) {
            return EC;
        }
        return null;
    }

    /** Reads the traditional key labelled {@code label} from {@code pem}, the text of {@code file}. */
    static PrivateKey read(String pem, String label, Path file) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin) + begin.length();
        int to = pem.indexOf(end, from);
        if (to < 0) {
            throw bad(file, "the PEM block '" + label + "' has no END line");
        }
        String body = pem.substring(from, to);
        if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
            throw new InvalidConfigurationException("the client key " + file + " is an encrypted '" + label
                    + "', a legacy OpenSSL format; convert it to encrypted PKCS#8 with `openssl pkcs8 -topk8 -in "
                    + file + " -out key-pkcs8.pem` and pass the password to clientCertificate(cert, key, password)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body.strip());
        } catch (IllegalArgumentException e) {
            throw bad(file, "its base64 body is malformed (" + e.getMessage() + ")");
        }
        byte[] algorithm = label.equals(RSA) ? RSA_ALGORITHM : ecAlgorithm(der, file);
        byte[] pkcs8 = sequence(concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, der)));
        try {
            return KeyFactory.getInstance(label.equals(RSA) ? "RSA" : "EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw bad(file, "it is not a valid " + label + " (" + e.getMessage() + ")");
        }
    }

    /**
     * The AlgorithmIdentifier for a SEC1 key: id-ecPublicKey with the named curve from the key's
     * {@code parameters [0]} field. {@code ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
     * parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }}.
     */
    private static byte[] ecAlgorithm(byte[] der, Path file) {
        Der seq = Der.at(der, 0, file);
        if (seq.tag != 0x30) {
            throw bad(file, "an EC PRIVATE KEY must be a DER SEQUENCE");
        }
        int pos = seq.valueStart;
        while (pos < seq.end) {
            Der field = Der.at(der, pos, file);
            if (field.tag == (byte) 0xa0) {
                Der curve = Der.at(der, field.valueStart, file);
                if (curve.tag != 0x06) {
                    throw bad(file, "its curve is not given by name (explicit curve parameters are not supported)");
                }
                return sequence(concat(EC_PUBLIC_KEY_OID, Arrays.copyOfRange(der, field.valueStart, curve.end)));
            }
            pos = field.end;
        }
        throw bad(file, "the EC key does not name its curve; write it with the curve included (openssl ec "
                + "-param_enc named_curve) or as PKCS#8 ('openssl pkcs8 -topk8 -nocrypt')");
    }

    /** One DER TLV: its tag, where its value starts, and where it ends. */
    private record Der(byte tag, int valueStart, int end) {
        static Der at(byte[] der, int pos, Path file) {
            if (pos + 2 > der.length) {
                throw bad(file, "its DER structure is truncated");
            }
            byte tag = der[pos];
            int len = der[pos + 1] & 0xff;
            int start = pos + 2;
            if (len > 0x80) {
                int n = len - 0x80;
                if (n > 3 || start + n > der.length) {
                    throw bad(file, "its DER structure has an invalid length");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (der[start + i] & 0xff);
                }
                start += n;
            } else if (len == 0x80) {
                throw bad(file, "its DER structure uses an indefinite length");
            }
            if (start + len > der.length) {
                throw bad(file, "its DER structure is truncated");
            }
            return new Der(tag, start, start + len);
        }
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static InvalidConfigurationException bad(Path file, String why) {
        return new InvalidConfigurationException("cannot read the client key " + file + ": " + why);
    }
}
