package org.parley.sip.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMDecryptorProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads certificates and private keys from PEM files with Bouncy Castle: PKCS#1
 * ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}), PKCS#8 ({@code PRIVATE KEY}), encrypted
 * PKCS#8 ({@code ENCRYPTED PRIVATE KEY}) and OpenSSL's legacy encrypted PEM ({@code Proc-Type: 4,ENCRYPTED}).
 * Messages name the file and never contain key material or the password.
 */
public final class PemFiles {

    /** Used per call, never registered with {@code Security}: no global provider state. */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private PemFiles() {
    }

    /** Every certificate in the file, in file order (leaf first for a chain file). */
    public static List<X509Certificate> readCertificates(Path file) throws TlsConfigurationException {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            Object o;
            while ((o = pem.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException e) {
            throw new TlsConfigurationException("cannot read certificates from " + file + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new TlsConfigurationException("invalid certificate in " + file + ": " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new TlsConfigurationException("no PEM certificate (-----BEGIN CERTIFICATE-----) in " + file);
        }
        return certs;
    }

    /**
     * The first private key in the file.
     *
     * @param password for encrypted keys; {@code null} or empty for plain keys
     */
    public static PrivateKey readPrivateKey(Path file, char[] password) throws TlsConfigurationException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object o;
            while ((o = pem.readObject()) != null) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    requirePassword(file, password);
                    InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password);
                    return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(decryptor));
                }
                if (o instanceof PEMEncryptedKeyPair encrypted) {
                    requirePassword(file, password);
                    PEMDecryptorProvider decryptor = new JcePEMDecryptorProviderBuilder().setProvider(BC).build(password);
                    return converter.getKeyPair(encrypted.decryptKeyPair(decryptor)).getPrivate();
                }
            }
        } catch (PKCSException | PEMException e) {
            throw new TlsConfigurationException("cannot decrypt the private key in " + file
                    + ": wrong password or unsupported encryption", e);
        } catch (OperatorCreationException e) {
            throw new TlsConfigurationException("unsupported key encryption in " + file, e);
        } catch (IOException e) {
            throw new TlsConfigurationException("cannot read private key from " + file + ": " + e.getMessage(), e);
        }
        throw new TlsConfigurationException("no PEM private key in " + file
                + " (expected PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY)");
    }

    private static void requirePassword(Path file, char[] password) throws TlsConfigurationException {
        if (password == null || password.length == 0) {
            throw new TlsConfigurationException("the private key in " + file + " is encrypted: configure its password");
        }
    }
}
