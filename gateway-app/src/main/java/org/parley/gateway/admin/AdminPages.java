package org.parley.gateway.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The admin pages a browser opens: the call-flow view, and the sign-in form that turns the admin
 * token into an HttpOnly, SameSite=Strict cookie for /admin (browsers cannot send bearer headers
 * when navigating). No front-end build chain: plain HTML, CSS, JavaScript and SVG from the jar.
 */
@Controller
public class AdminPages {

    static final String COOKIE = "parley_admin";

    private final AdminToken token;
    private final String flow;
    private final String login;

    public AdminPages(AdminToken token) throws IOException {
        this.token = token;
        this.flow = resource("/admin/flow.html");
        this.login = resource("/admin/login.html");
    }

    @GetMapping(value = "/admin/flow", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> flow() {
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(flow);
    }

    @PostMapping(value = "/admin/login", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> signIn(@RequestParam("token") String presented) {
        if (!token.matches(presented)) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).body(login.replace("<h1>Parley admin</h1>",
                    "<h1>Parley admin</h1><p role=\"alert\">That token is not right.</p>"));
        }
        ResponseCookie cookie = ResponseCookie.from(COOKIE, presented).httpOnly(true).sameSite("Strict").path("/admin").build();
        return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.SET_COOKIE, cookie.toString())
                .header(HttpHeaders.LOCATION, "/admin/flow").build();
    }

    /** The sign-in form, shown by the filter to a browser that is not signed in. */
    String loginPage() {
        return login;
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = AdminPages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException(path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
