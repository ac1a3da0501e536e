/** Query keys of the operators area (the people who use Coffer). */
export const operatorKeys = {
  all: ['operators'] as const,
  list: () => [...operatorKeys.all, 'list'] as const
}
