/** Saved audience templates (`adTargetTemplates`) of one sandbox, in memory. */
import type { AdTargetTemplate } from '../linkedin/types.js';

export class TemplateStore {
  private readonly byId = new Map<number, AdTargetTemplate>();
  private nextId = 4210001;

  create(template: Omit<AdTargetTemplate, 'id'>): AdTargetTemplate {
    const saved: AdTargetTemplate = { id: this.nextId++, ...template };
    this.byId.set(saved.id, saved);
    return saved;
  }

  get(id: number): AdTargetTemplate | undefined {
    return this.byId.get(id);
  }

  byAccount(accountUrn: string): AdTargetTemplate[] {
    return [...this.byId.values()].filter((t) => t.account === accountUrn).sort((a, b) => a.id - b.id);
  }

  replace(template: AdTargetTemplate): void {
    this.byId.set(template.id, template);
  }

  delete(id: number): boolean {
    return this.byId.delete(id);
  }
}
