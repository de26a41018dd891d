package io.mpathgw.gateway.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.mpathgw.gateway.model.ControlException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Request;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** Every failure leaves the API as {@code {"error": "one line"}} with the status the cause calls for. */
public final class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(message)).build();
    }

    @ServerExceptionMapper
    public Response refused(ControlException e) {
        return error(e.httpStatus(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response badInput(BadRequest e) {
        return error(400, e.getMessage());
    }

    /** A body that is not JSON, or a field of the wrong type: Jackson's first line names where. */
    @ServerExceptionMapper
    public Response notJson(JsonParseException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        return error(400, "request body: " + e.getOriginalMessage().lines().findFirst().orElse("not JSON") + where);
    }

    @ServerExceptionMapper
    public Response noRoute(NotFoundException e, UriInfo uri, Request request) {
        return error(404, "no such endpoint: " + request.getMethod() + " /" + uri.getPath().replaceFirst("^/", ""));
    }

    @ServerExceptionMapper
    public Response wrongMethod(NotAllowedException e, UriInfo uri, Request request) {
        return error(405, request.getMethod() + " /" + uri.getPath().replaceFirst("^/", "") + ": method not allowed"
                + " (expected: " + String.join(", ", e.getResponse().getAllowedMethods()) + ")");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException j) return badJson(j);     // a body Jackson could not read
        Response r = e.getResponse();
        return error(r.getStatus(), e.getMessage() == null ? r.getStatusInfo().getReasonPhrase() : e.getMessage());
    }

    @ServerExceptionMapper
    public Response wrapped(CompletionException e) {
        Throwable c = e.getCause();
        if (c instanceof ControlException ce) return refused(ce);
        if (c instanceof TimeoutException) return error(503, c.getMessage());
        if (c instanceof BadRequest b) return badInput(b);
        return unexpected(c == null ? e : c);
    }

    @ServerExceptionMapper
    public Response timeout(TimeoutException e) {
        return error(503, e.getMessage());
    }

    /** A failure inside the gateway that was not a refusal: a bug. Logged with its stack, answered with its class. */
    private static Response unexpected(Throwable e) {
        LOG.error("REST request failed", e);
        return error(500, "internal error: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
    }

    /** A parameter or body the API refuses before asking the gateway; the message names field, value, expectation. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
