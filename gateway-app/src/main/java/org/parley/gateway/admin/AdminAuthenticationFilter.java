package org.parley.gateway.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Everything under /admin needs the token: {@code Authorization: Bearer <token>} (API clients) or
 * the cookie the sign-in form sets (browsers); 401 without either, 403 with a wrong one. A browser
 * asking for a page without credentials gets the sign-in form (with 401).
 */
public final class AdminAuthenticationFilter extends OncePerRequestFilter {

    private static final System.Logger LOG = System.getLogger(AdminAuthenticationFilter.class.getName());

    private final AdminToken token;
    private final String loginPage;

    public AdminAuthenticationFilter(AdminToken token, String loginPage) {
        this.token = token;
        this.loginPage = loginPage;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/admin") || request.getRequestURI().equals("/admin/login");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : cookie(request);
        if (presented == null) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"parley-admin\"");
            if (!request.getRequestURI().startsWith("/admin/api")) {
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                response.setContentType("text/html;charset=UTF-8");
                response.getWriter().write(loginPage);
                return;
            }
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "admin API: send Authorization: Bearer <parley.admin.token>");
            return;
        }
        if (!token.matches(presented)) {
            LOG.log(System.Logger.Level.WARNING, "admin API: wrong token from " + request.getRemoteAddr());
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "admin API: wrong token");
            return;
        }
        chain.doFilter(request, response);
    }

    private static String cookie(HttpServletRequest request) {
        if (request.getCookies() == null) {
            return null;
        }
        for (jakarta.servlet.http.Cookie c : request.getCookies()) {
            if (AdminPages.COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }
}
