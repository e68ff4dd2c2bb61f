package io.etcdkit.internal;

import io.grpc.Status;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;

/**
 * Recognises TLS handshake failures in a failed call's status (gRPC reports them as UNAVAILABLE with the
 * handshake exception as cause) and says in words what is wrong and which setting fixes it.
 */
final class TlsFailures {
    private TlsFailures() {}

    /** What went wrong in the TLS handshake, or null when {@code status} is not a TLS failure. */
    static String explain(Status status) {
        boolean tls = false;
        for (Throwable c = status.getCause(); c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (c instanceof CertPathBuilderException || c instanceof CertPathValidatorException
                    || m.contains("PKIX path") || m.contains("unable to find valid certification path")) {
                return "TLS handshake failed: the member's certificate is not signed by a trusted certificate "
                        + "authority (" + m + "). Point trustedCertificates(..) at the CA that signed the members' "
                        + "certificates";
            }
            if (m.contains("No subject alternative") || m.contains("No name matching")) {
                return "TLS handshake failed: the member's certificate does not name the host dialled (" + m
                        + "). Use an endpoint host that the certificate lists, or (insecure) turn off "
                        + "hostnameVerification(..)";
            }
            if (c instanceof CertificateExpiredException || c instanceof CertificateNotYetValidException) {
                return "TLS handshake failed: a certificate is outside its validity period (" + m + ")";
            }
            if (m.contains("BAD_CERTIFICATE") || m.contains("CERTIFICATE_REQUIRED") || m.contains("bad_certificate")
                    || m.contains("certificate_required") || m.contains("UNKNOWN_CA") || m.contains("unknown_ca")) {
                return "TLS handshake failed: the member refused this client's certificate (" + m + "). It "
                        + "requires a client certificate signed by its trusted CA (--client-cert-auth); give one "
                        + "with clientCertificate(certPem, keyPem)";
            }
            if (c instanceof SSLException) {
                tls = true;
            }
        }
        if (tls) {
            Throwable root = status.getCause();
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return "TLS handshake failed (" + root + "). Check the https:// endpoints, trustedCertificates(..) "
                    + "and clientCertificate(..)";
        }
        return null;
    }
}
