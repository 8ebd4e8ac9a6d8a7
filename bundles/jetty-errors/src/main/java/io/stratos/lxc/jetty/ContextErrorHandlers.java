package io.stratos.lxc.jetty;

import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.util.component.Container;

/**
 * Gives every servlet context added under the server a {@link JsonContextErrorHandler}. Pax Web makes each context with an
 * {@link ErrorPageErrorHandler} of its own, which Jetty prefers to the server's; it answers a PUT or DELETE with an
 * empty body and anything else with HTML. Pax Web sets that handler before it adds the context to the server, so
 * replacing it when the context is added leaves nothing of Pax Web's to overwrite it later. The error pages it
 * already holds are kept. Each context also gets an {@link UngatedApiGuard}.
 * <p>
 * Registered on the Server by this fragment's {@code /jetty.xml}; inherited by every container below the server.
 */
public class ContextErrorHandlers implements Container.InheritedListener {

    @Override
    public void beanAdded(Container parent, Object child) {
        if (child instanceof ServletContextHandler context) {
            ErrorHandler current = context.getErrorHandler();
            if (!(current instanceof JsonContextErrorHandler)) {
                JsonContextErrorHandler json = new JsonContextErrorHandler();
                if (current instanceof ErrorPageErrorHandler pages) {
                    json.setErrorPages(pages.getErrorPages());
                    json.setShowStacks(pages.isShowStacks());
                }
                context.setErrorHandler(json);
            }
            if (context.getChildHandlerByClass(UngatedApiGuard.class) == null) {
                context.insertHandler(new UngatedApiGuard());
            }
        }
    }

    @Override
    public void beanRemoved(Container parent, Object child) {
        // a context removed takes its handler with it
    }
}
