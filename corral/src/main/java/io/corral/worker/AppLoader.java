package io.corral.worker;

import io.corral.app.App;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/** Loads the app class named on the command line, the {@code main:app} of Java. */
public final class AppLoader {
    private AppLoader() {
    }

    public static App load(String className) throws AppLoadException {
        return load(className, Thread.currentThread().getContextClassLoader());
    }

    public static App load(String className, ClassLoader loader) throws AppLoadException {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AppLoadException("app class " + className + " not found on the classpath", e);
        } catch (LinkageError | RuntimeException e) {
            throw new AppLoadException("app class " + className + " failed to load: " + e, e);
        }
        if (!App.class.isAssignableFrom(type)) {
            throw new AppLoadException(className + " does not implement io.corral.app.App", null);
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            return (App) constructor.newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new AppLoadException(className + " needs a public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new AppLoadException(className + " constructor threw " + e.getCause(), e.getCause());
        } catch (InstantiationException e) {
            throw new AppLoadException(className + " is abstract", e);
        }
    }
}
