package org.parley.gateway.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/** Everything under /admin needs {@code Authorization: Bearer <token>}: 401 without one, 403 with a wrong one. */
public final class AdminAuthenticationFilter extends OncePerRequestFilter {

    private static final System.Logger LOG = System.getLogger(AdminAuthenticationFilter.class.getName());

    private final AdminToken token;

    public AdminAuthenticationFilter(AdminToken token) {
        this.token = token;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/admin");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"parley-admin\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "admin API: send Authorization: Bearer <parley.admin.token>");
            return;
        }
        if (!token.matches(header.substring(7).strip())) {
            LOG.log(System.Logger.Level.WARNING, "admin API: wrong token from " + request.getRemoteAddr());
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "admin API: wrong token");
            return;
        }
        chain.doFilter(request, response);
    }
}
