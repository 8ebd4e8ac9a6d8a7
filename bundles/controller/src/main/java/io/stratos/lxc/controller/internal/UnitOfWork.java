package io.stratos.lxc.controller.internal;

import io.stratos.lxc.controller.internal.Model.ProcessEntry;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-through of one controller operation: a change is applied to memory and recorded here as SQL, and
 * {@link #commit} writes it in one transaction; if that fails, memory is reloaded from the database, so memory never
 * holds what the database does not. Called with the controller's lock held; only the controller decides when to commit.
 */
final class UnitOfWork {

    private static final Logger LOG = LoggerFactory.getLogger(UnitOfWork.class);

    private final Repository repository;
    private final ControllerState state;
    private final Runnable reload;
    private final List<Repository.Work> pendingWrites = new ArrayList<>();
    private final Set<VmEntry> changedVms = new LinkedHashSet<>();
    /** Processes whose INSERT is among the pending writes: it writes their fields as they are at the commit. */
    private final Set<ProcessEntry> insertPending = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Told of each VM whose desired state changed, once that change is committed (the agents' long polls). */
    private Consumer<VmEntry> committed = vm -> { };
    /** Told after every commit (the routers' long polls: the routes the operation touched). */
    private Runnable afterCommit = () -> { };

    UnitOfWork(Repository repository, ControllerState state, Runnable reload) {
        this.repository = repository;
        this.state = state;
        this.reload = reload;
    }

    void onCommitted(Consumer<VmEntry> listener) {
        this.committed = listener;
    }

    void afterCommit(Runnable listener) {
        this.afterCommit = listener;
    }

    void write(Repository.Work work) {
        pendingWrites.add(work);
    }

    /** A new process: its INSERT is written at the commit, with its fields as they are then. */
    void insert(ProcessEntry p) {
        write(tx -> tx.insertProcess(p));
        insertPending.add(p);
    }

    /** Whether the process's INSERT is still pending, so an UPDATE of it in this operation is unnecessary. */
    boolean insertPending(ProcessEntry p) {
        return insertPending.contains(p);
    }

    /** A VM's desired state changed: new revision; its long polls are answered at the commit. */
    void bump(VmEntry vm) {
        vm.revision = state.nextRevision();
        changedVms.add(vm);
    }

    /** Commits what the operation wrote; on failure reloads memory from the database and rethrows. */
    void commit() {
        if (!pendingWrites.isEmpty()) {
            flushWrites();
        }
        // Agents only ever see committed state.
        for (VmEntry vm : changedVms) {
            committed.accept(vm);
        }
        changedVms.clear();
        afterCommit.run();
    }

    private void flushWrites() {
        List<Repository.Work> writes = new ArrayList<>(pendingWrites);
        pendingWrites.clear();
        insertPending.clear();
        try {
            repository.inTransaction(tx -> {
                for (Repository.Work work : writes) {
                    work.run(tx);
                }
            });
        } catch (RuntimeException e) {
            changedVms.clear();
            LOG.error("Commit failed, reloading controller state from the database", e);
            try {
                reload.run();
            } catch (RuntimeException again) {
                LOG.error("Reload failed too", again);
            }
            throw e;
        }
    }
}
