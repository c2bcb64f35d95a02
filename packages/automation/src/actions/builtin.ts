// The built-in actions register themselves on import.
import './records.actions.ts';
import './assign-owner.action.ts';
import './message.actions.ts';
import './task.actions.ts';
import './webhook.action.ts';
