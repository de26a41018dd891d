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
 * page's session cookie works on /api as well. Asked before the form mechanism (higher priority).
 */
@ApplicationScoped
public class ApiChallenge implements HttpAuthenticationMechanism {

    static final String REALM = "mpathgw";
    private static final ChallengeData BASIC = new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE,
            "Basic realm=\"" + REALM + "\"");

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        String path = context.normalizedPath();
        return path.startsWith("/api/") || path.startsWith("/q/openapi") ? Uni.createFrom().item(BASIC)
                : Uni.createFrom().nullItem();
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
