import { createClubApp } from './club-app';

createClubApp().app.synth();
