package io.mpathgw.gateway.demo;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The demo array's fault injection over REST (the gateway's admin only, as all of /api): {@code POST
 * /api/v1/demo/sim} with one of {@code mpathgw sim}'s fault commands as the text body ({@code kill 0},
 * {@code controller A blackhole on}, {@code failover B}, {@code status}, {@code help}…) answers what the command
 * prints. 404 when the gateway does not run in demo mode, 400 naming what was wrong for a bad command.
 */
@Path("/api/v1/demo")
public class DemoResource {

    @POST
    @Path("/sim")
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Runs a fault command on the demo's simulated array")
    public Response sim(String command) {
        var demo = DemoArray.current();
        if (demo.isEmpty())
            return text(404, "no demo array: the gateway was not started in demo mode (mpathgw.demo=true)");
        try {
            return text(200, demo.get().execute(command == null ? "" : command.trim()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return text(400, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return text(503, "interrupted");
        }
    }

    @GET
    @Path("/sim")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The demo array's topology, states and active faults")
    public Response status() {
        return sim("status");
    }

    private static Response text(int status, String body) {
        String b = body.isEmpty() || body.endsWith("\n") ? body : body + "\n";
        return Response.status(status).type(MediaType.TEXT_PLAIN).entity(b).build();
    }
}
