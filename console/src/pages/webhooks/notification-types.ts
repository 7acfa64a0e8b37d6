import { useQuery } from '@tanstack/react-query';

/** The notification types this API version sends, read from its OpenAPI document (not a copied list). */
export function useNotificationTypes(): string[] {
  const { data } = useQuery({
    queryKey: ['openapi-notification-types'],
    staleTime: Infinity,
    queryFn: async () => {
      const doc = await (await fetch('/openapi.json')).json();
      return (doc?.components?.schemas?.CreateWebhookRequest?.properties?.events?.items?.enum as string[] | undefined) ?? [];
    },
  });
  return data ?? [];
}
