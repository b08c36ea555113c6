package org.parley.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import java.text.ParseException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import org.junit.jupiter.api.Test;

/** Parsed once, handed out as copies: what a caller does to its copy never reaches the next request. */
class ParseCacheTest {

    private final AddressFactoryImpl factory = new AddressFactoryImpl();
    private final ParseCache cache = new ParseCache(factory);

    @Test
    void aUriIsWhatTheFactoryParsesAndEachCallerGetsItsOwnCopy() throws Exception {
        String text = "sip:alice@contoso.com;opaque=user:epid:abc;gruu";
        URI first = cache.uri(text);
        assertThat(first).isEqualTo(factory.createURI(text));
        assertThat(first.toString()).isEqualTo(factory.createURI(text).toString());

        ((SipURI) first).setUser("mallory");
        ((SipURI) first).setParameter("extra", "1");

        URI second = cache.uri(text);
        assertThat(second.toString()).isEqualTo(factory.createURI(text).toString());
        assertThat(second).isNotSameAs(first);
    }

    @Test
    void aNameAddrIsWhatTheFactoryParsesAndEachCallerGetsItsOwnCopy() throws Exception {
        String text = "\"Front End\" <sip:fe1.contoso.com:5061;transport=tls;lr>";
        Address first = cache.address(text);
        assertThat(first.toString()).isEqualTo(factory.createAddress(text).toString());
        ((SipURI) first.getURI()).setPort(9999);
        first.setDisplayName("changed");

        assertThat(cache.address(text).toString()).isEqualTo(factory.createAddress(text).toString());
    }

    @Test
    void whatDoesNotParseFailsEveryTimeAndIsNotKept() {
        assertThatThrownBy(() -> cache.uri("sip:<bad")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> cache.uri("sip:<bad")).isInstanceOf(ParseException.class);
        assertThat(cache.size()).isZero();
    }

    @Test
    void itNeverHoldsMoreThanItsCapacity() throws Exception {
        for (int i = 0; i < ParseCache.CAPACITY * 2 + 7; i++) {
            assertThat(cache.uri("sip:user" + i + "@contoso.com").toString()).isEqualTo("sip:user" + i + "@contoso.com");
            assertThat(cache.size()).isLessThanOrEqualTo(ParseCache.CAPACITY);
        }
    }
}
