package org.parley.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.parley.gateway.ParleyApplication;
import org.parley.gateway.trace.TranslationRecord.Outcome;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The call-flow page in a real headless Chromium (Debian's chromium + chromium-driver) against a
 * running gateway whose trace holds a scripted conversation: sign-in, lanes (one per person) and arrows, the merge
 * toggle, timestamps, clicking an arrow shows the raw message with its body still redacted,
 * errors stand out, live updates, SVG export. Fails — never skips — without Chromium.
 */
@SpringBootTest(classes = ParleyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FlowViewIT {

    private static final String TOKEN = "flow-view-token-0123456789";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static WebDriver browser;

    @LocalServerPort
    private int port;

    @Autowired
    private TranslationTrace trace;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("parley-flow-it");
        int sipPort = org.parley.sip.testing.FreePorts.next();
        int s2sPort = org.parley.sip.testing.FreePorts.next();
        registry.add("parley.data-dir", data::toString);
        registry.add("parley.lync.listen-port", () -> sipPort);
        registry.add("parley.xmpp.s2s.port", () -> s2sPort);
        registry.add("parley.admin.token", () -> TOKEN);
    }

    @BeforeAll
    static void startBrowser() {
        assertThat(CHROMIUM).as("Chromium is a test peer: install it with .ci/install-peers").exists();
        assertThat(CHROMEDRIVER).as("chromium-driver is a test peer: install it with .ci/install-peers").exists();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static final Address JULIET = Address.xmpp("juliet", "xmpp.test", "balcony");
    private static final Address ALICE_X = Address.xmpp("alice", "contoso.com");
    private static final Function<GatewayEvent, String> SIP_WIRE = e -> e instanceof ChatMessage m
            ? "MESSAGE sip:" + m.to().userAtDomain() + " SIP/2.0\r\nContent-Type: text/plain\r\n\r\n" + m.body()
            : "NOTIFY sip:" + (e.to() == null ? "watcher" : e.to().userAtDomain()) + " SIP/2.0\r\nEvent: presence\r\n";
    private static final Function<GatewayEvent, String> XMPP_WIRE = e -> e instanceof GatewayError
            ? "<message from='" + e.from().userAtDomain() + "' to='juliet@xmpp.test/balcony' type='error' id='c9'><error type='cancel'/></message>"
            : e instanceof PresenceUpdate ? "<presence from='alice@contoso.com' to='juliet@xmpp.test'><show>away</show></presence>"
            : "<message from='alice@contoso.com' to='juliet@xmpp.test' type='chat'><body>" + ((ChatMessage) e).body() + "</body></message>";

    /** A short conversation: an IM each way, three identical presence refreshes, an IM to an unknown user. */
    private void scriptConversation() {
        if (!trace.find(r -> !r.kind().equals("keep-alive"), 1).isEmpty()) {
            return;
        }
        ChatMessage hello = ChatMessage.text(JULIET, ALICE_X, "c1", "hello alice");
        trace.begin("xmpp→sip", hello)
                .inputWire("<message from='juliet@xmpp.test/balcony' to='alice@contoso.com' type='chat' id='c1'><body>hello alice</body></message>", XMPP_WIRE)
                .output(ChatMessage.text(Address.sip("juliet", "xmpp.test", "balcony"), Address.sip("alice", "contoso.com"), "c1", "hello alice"), SIP_WIRE)
                .decision("RFC 7572: XMPP chat message → SIP instant message").done(Outcome.DELIVERED, null);
        ChatMessage back = ChatMessage.text(Address.sip("alice", "contoso.com"), Address.sip("juliet", "xmpp.test"), "c2", "hi juliet");
        trace.begin("sip→xmpp", back).inputWire(null, SIP_WIRE)
                .output(ChatMessage.text(ALICE_X, Address.xmpp("juliet", "xmpp.test"), "c2", "hi juliet"), XMPP_WIRE).done(Outcome.DELIVERED, null);
        for (int i = 0; i < 3; i++) {
            PresenceUpdate away = PresenceUpdate.of(Address.sip("alice", "contoso.com"), Availability.AWAY).withTo(Address.sip("juliet", "xmpp.test"));
            trace.begin("sip→xmpp", away).inputWire(null, SIP_WIRE)
                    .output(PresenceUpdate.of(ALICE_X, Availability.AWAY).withTo(Address.xmpp("juliet", "xmpp.test")), XMPP_WIRE)
                    .done(Outcome.DELIVERED, null);
        }
        ChatMessage lost = ChatMessage.text(JULIET, Address.xmpp("nobody", "contoso.com"), "c9", "anyone?");
        trace.begin("xmpp→sip", lost)
                .inputWire("<message from='juliet@xmpp.test/balcony' to='nobody@contoso.com' type='chat' id='c9'><body>anyone?</body></message>", XMPP_WIRE)
                .output(new GatewayError(Address.xmpp("nobody", "contoso.com"), JULIET, ErrorCondition.ITEM_NOT_FOUND, null, 404,
                        "User does not exist", null, "c9"), XMPP_WIRE)
                .done(Outcome.REJECTED, "SIP 404 ITEM_NOT_FOUND");
    }

    private WebDriverWait waitUpTo(int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /**
     * Reads the drawing, again if a redraw made an element stale midway: the page redraws whenever a new record
     * arrives, and the absent front end's keep-alive probe adds one every 30 s.
     */
    private <T> T fromDrawing(Function<WebDriver, T> read) {
        return waitUpTo(5).until(read::apply);
    }

    private List<String> arrowTexts() {
        return fromDrawing(d -> arrows().stream().map(WebElement::getText).toList());
    }

    private void clickArrow(String text) {
        fromDrawing(d -> {
            arrows().stream().filter(a -> a.getText().equals(text)).findFirst().orElseThrow().click();
            return true;
        });
    }

    /** The lanes' labels, left to right. */
    private List<String> laneLabels() {
        return texts("#flow g.lane text.lane-label");
    }

    private List<String> texts(String css) {
        return fromDrawing(d -> d.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList());
    }

    private List<WebElement> arrows() {
        return browser.findElements(By.cssSelector("#flow g.arrow"));
    }

    private void signIn() {
        browser.get("http://127.0.0.1:" + port + "/admin/flow");
        if (!browser.findElements(By.id("token")).isEmpty()) {
            browser.findElement(By.id("token")).sendKeys(TOKEN);
            browser.findElement(By.id("sign-in")).click();
        }
        waitUpTo(10).until(d -> !arrows().isEmpty());
    }

    @Test
    void theFlowOfAScriptedConversation() throws Exception {
        scriptConversation();
        signIn();

        // lanes are people: juliet (whichever resource she wrote from) as her bare JID, the Lync users as SIP URIs,
        // each with the domain beneath; XMPP left of Parley, SIP right
        assertThat(laneLabels()).containsExactly("juliet@xmpp.test", "Parley", "sip:alice@contoso.com", "sip:nobody@contoso.com");
        assertThat(texts("#flow g.lane text.lane-subtitle")).containsExactly("XMPP · xmpp.test", "SIP · contoso.com", "SIP · contoso.com");

        // keep-alives (the OPTIONS probes of the absent front end) are hidden by default; shown, the front end has a lane
        assertThat(arrowTexts()).noneMatch(t -> t.startsWith("✗ OPTIONS") || t.equals("OPTIONS"));
        browser.findElement(By.id("hide-keepalives")).click();
        waitUpTo(15).until(d -> arrows().stream().anyMatch(a -> a.getText().contains("OPTIONS")));
        assertThat(laneLabels()).contains("127.0.0.1:5062");
        browser.findElement(By.id("hide-keepalives")).click();
        waitUpTo(5).until(d -> arrows().stream().noneMatch(a -> a.getText().contains("OPTIONS")));

        // merged: the three identical presence refreshes are one row of two arrows (6 rows → 4 rows)
        // (the rejected IM has three: the stanza in, the front end's 404, the error back)
        assertThat(arrows()).hasSize(9);
        String drawn = fromDrawing(d -> d.findElement(By.id("flow")).getText());
        assertThat(drawn).contains("presence ×3");
        browser.findElement(By.id("merge")).click();
        waitUpTo(5).until(d -> arrows().size() == 13);
        browser.findElement(By.id("merge")).click();
        waitUpTo(5).until(d -> arrows().size() == 9);

        // errors stand out
        List<String> errors = fromDrawing(d -> d.findElements(By.cssSelector("#flow g.arrow.error")).stream().map(WebElement::getText).toList());
        assertThat(errors).containsExactly("✗ 404", "✗ message error");

        // timestamps, one per row
        new Select(browser.findElement(By.id("timestamps"))).selectByValue("delta");
        waitUpTo(5).until(d -> browser.findElements(By.cssSelector("#flow text.time")).size() == 4);
        String secondTime = fromDrawing(d -> d.findElements(By.cssSelector("#flow text.time")).get(1).getText());
        assertThat(secondTime).endsWith(" ms");

        // clicking an arrow shows the raw message, with its body still redacted
        clickArrow("MESSAGE");
        String raw = waitUpTo(5).until(d -> d.findElement(By.id("raw"))).getText();
        assertThat(raw).contains("MESSAGE sip:alice@contoso.com").contains("[redacted").doesNotContain("hello alice");
        clickArrow("message chat");
        assertThat(browser.findElement(By.id("raw")).getText()).contains("<message").contains("[redacted 11 chars]").doesNotContain("hello alice");
        assertThat(browser.findElement(By.id("details")).getText()).contains("RFC 7572");

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "flow-view.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        // export: the SVG the button produces
        Object svg = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "URL.createObjectURL = blob => { blob.text().then(done); return 'blob:test'; };"
                        + "document.getElementById('export').click();");
        assertThat((String) svg).startsWith("<svg").contains("sip:alice@contoso.com").contains("SIP · contoso.com").contains("presence ×3");

        // live: a new translation appears without a reload
        trace.begin("xmpp→sip", ChatMessage.text(JULIET, ALICE_X, "c10", "again"))
                .inputWire("<message from='juliet@xmpp.test/balcony' to='alice@contoso.com' type='chat' id='c10'><body>again</body></message>", XMPP_WIRE)
                .output(ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("alice", "contoso.com"), "c10", "again"), SIP_WIRE)
                .done(Outcome.DELIVERED, null);
        waitUpTo(10).until(d -> arrows().size() == 11);

        // a user pair narrows the picture to their conversation
        browser.findElement(By.id("peer")).sendKeys("nobody@contoso.com");
        waitUpTo(5).until(d -> arrows().size() == 3);
    }

    @Test
    void withoutTheTokenThePageShowsOnlyTheSignInForm() {
        browser.manage().deleteAllCookies();
        browser.get("http://127.0.0.1:" + port + "/admin/flow");
        assertThat(browser.findElements(By.id("token"))).hasSize(1);
        assertThat(browser.findElements(By.id("flow"))).isEmpty();
        browser.findElement(By.id("token")).sendKeys("wrong");
        browser.findElement(By.id("sign-in")).click();
        // the click returns once the form is submitted, not once the answer page has loaded
        waitUpTo(10).until(d -> d.getPageSource().contains("That token is not right"));
        assertThat(browser.findElements(By.id("flow"))).isEmpty();
        assertThat(browser.findElements(By.id("token"))).hasSize(1);
    }
}
