package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.VmRejoin;
import io.stratos.lxc.api.history.HistoryService;
import io.stratos.lxc.api.history.PartitionHistory;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Partitions and their VMs and agents. */
@Component(service = RestResource.class)
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PartitionResource implements RestResource {

    /** {@code PUT /partitions/{name}/scale} body. */
    public record ScaleRequest(Integer vms) {
    }

    @Reference
    CloudController controller;

    /** Optional: the partitions stay served while the history's bundle is away. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HistoryService history;

    @PUT
    @Path("partitions/{name}/scale")
    public Partition scale(@PathParam("name") String name, ScaleRequest request) {
        if (request == null || request.vms() == null) {
            throw StratosException.invalid("vms", "the number of VMs is required", "send {\"vms\": 2}");
        }
        return controller.scalePartition(name, request.vms());
    }

    @POST
    @Path("partitions")
    public Response create(PartitionSpec spec) {
        Partition partition = controller.createPartition(spec);
        return Response.created(URI.create("partitions/" + partition.name())).entity(partition).build();
    }

    @GET
    @Path("partitions")
    public List<Partition> list() {
        return controller.partitions();
    }

    @GET
    @Path("partitions/{name}")
    public Partition get(@PathParam("name") String name) {
        return controller.partition(name);
    }

    /** The last {@code minutes} (1 to 60, default 60) of the partition's VMs, sampled every few seconds. */
    @GET
    @Path("partitions/{name}/history")
    public PartitionHistory history(@PathParam("name") String name, @QueryParam("minutes") String minutes) {
        int n = HistoryMinutes.parse(minutes);
        HistoryService service = HistoryMinutes.available(history);
        controller.partition(name); // NOT_FOUND for an unknown one
        return service.partition(name, n);
    }

    @DELETE
    @Path("partitions/{name}")
    public Response delete(@PathParam("name") String name) {
        controller.deletePartition(name);
        return Response.noContent().build();
    }

    @GET
    @Path("vms")
    public List<PartitionVm> vms() {
        return controller.vms();
    }

    /** A new join token for a VM whose agent lost its secret; the answer carries it for the operator to hand over. */
    @POST
    @Path("vms/{id}/rejoin")
    public VmRejoin rejoin(@PathParam("id") String id) {
        return controller.rejoinVm(id);
    }

    /** The VMs whose agent has registered. */
    @GET
    @Path("agents")
    public List<PartitionVm> agents() {
        return controller.vms().stream().filter(vm -> vm.agentId() != null).collect(Collectors.toList());
    }
}
