package io.mpathgw.gateway.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * The challenge an unauthenticated {@code /api/} (or {@code /q/openapi}) request gets: 401 with {@code WWW-Authenticate: Basic}, which the CLI
 * and curl understand, instead of the form mechanism's redirect to the login page (right for the web page, useless to
 * a REST client). Authenticates nothing itself: the Basic and form mechanisms still accept the credentials, so the
 * page's session cookie works on /api as well. Asked before the form mechanism (higher priority). A request from the
 * page (X-Requested-With: XMLHttpRequest, an EventSource's Accept, or its session cookie) gets a plain 401, so a lost
 * session shows the page's login, not the browser's Basic dialog.
 */
@ApplicationScoped
public class ApiChallenge implements HttpAuthenticationMechanism {

    static final String REALM = "mpathgw";
    static final String SESSION_COOKIE = "mpathgw-session";     // quarkus.http.auth.form.cookie-name
    private static final ChallengeData BASIC = new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE,
            "Basic realm=\"" + REALM + "\"");
    /** The web page's own requests (fetch with X-Requested-With, EventSource): a Basic challenge would make the
     *  browser prompt (and hold the request) instead of letting the page go to its login, so plain 401. */
    private static final ChallengeData PAGE = new ChallengeData(401);

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        String path = context.normalizedPath();
        if (!path.startsWith("/api/") && !path.startsWith("/q/openapi")) return Uni.createFrom().nullItem();
        String accept = context.request().getHeader(HttpHeaderNames.ACCEPT);
        // the raw Cookie header: the form mechanism drops a session cookie it could not restore from the cookie jar
        String cookies = context.request().getHeader(HttpHeaderNames.COOKIE);
        boolean page = "XMLHttpRequest".equals(context.request().getHeader("X-Requested-With"))
                || accept != null && accept.startsWith("text/event-stream")
                || cookies != null && cookies.contains(SESSION_COOKIE + "=");
        return Uni.createFrom().item(page ? PAGE : BASIC);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 500;
    }
}
