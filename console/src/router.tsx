import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

/** A tiny router over history.pushState: the console has a handful of screens under /console. */
const BASE = '/console';
const RouteContext = createContext<{ path: string; navigate: (to: string) => void }>({ path: '/', navigate: () => {} });

const current = () => window.location.pathname.replace(/^\/console/, '') || '/';

export function RouterProvider({ children }: { children: ReactNode }) {
  const [path, setPath] = useState(current);
  useEffect(() => {
    const onPop = () => setPath(current());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = (to: string) => {
    window.history.pushState(null, '', BASE + to);
    setPath(to.split('?')[0]);
    window.scrollTo(0, 0);
  };
  return <RouteContext.Provider value={{ path, navigate }}>{children}</RouteContext.Provider>;
}

export const useRoute = () => useContext(RouteContext);

/** Matches `/campaigns/:id` style patterns; returns the decoded params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

export function Link({ to, children, className, current }: { to: string; children: ReactNode; className?: string; current?: boolean }) {
  const { navigate } = useRoute();
  return (
    <a
      href={BASE + to}
      className={className}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (!e.metaKey && !e.ctrlKey) {
          e.preventDefault();
          navigate(to);
        }
      }}
    >
      {children}
    </a>
  );
}
